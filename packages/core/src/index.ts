export * from "./cursor";
export * from "./errors";
export * from "./ids";
export * from "./policy";
export * from "./reference";
export * from "./scopes";
