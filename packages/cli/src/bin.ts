/** The entry point of the bundled command (scripts/build.mjs makes dist/dfda.mjs from it). */
import { main } from "./main";

await main();
