export * from "./cursor";
export * from "./errors";
export * from "./ids";
export * from "./reference";
