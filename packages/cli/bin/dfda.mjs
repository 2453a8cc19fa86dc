#!/usr/bin/env node
// Launcher for `dfda`: runs the TypeScript sources with tsx, from any working directory. The
// tsconfig of the caller's directory is not applied (`tsconfig: false`): the sources need none.
import { register } from "tsx/esm/api";

register({ tsconfig: false });
const { main } = await import("../src/main.ts");
await main();
