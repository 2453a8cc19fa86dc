export * from "./manifest";
export * from "./protocol";
export * from "./results";
