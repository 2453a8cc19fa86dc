export * from "./client";
export * from "./http";
export * from "./manifest";
export * from "./protocol";
export * from "./results";
export * from "./schema";
export * from "./signing";
