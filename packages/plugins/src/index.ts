export * from "./manifest";
export * from "./protocol";
