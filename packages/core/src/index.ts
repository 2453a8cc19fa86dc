export * from "./cursor";
export * from "./errors";
export * from "./ids";
export * from "./observations";
export * from "./policy";
export * from "./redirect-uri";
export * from "./reference";
export * from "./scopes";
