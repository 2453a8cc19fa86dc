/**
 * The API Worker: the platform's public HTTP edge.
 */
import { newApp } from "./app";

const app = newApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
