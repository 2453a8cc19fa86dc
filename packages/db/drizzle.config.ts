import { defineConfig } from "drizzle-kit";

// drizzle-kit reads the schema and writes SQL migrations into the top-level migrations/ folder.
export default defineConfig({
  dialect: "postgresql",
  schema: "./packages/db/src/schema.ts",
  out: "./migrations",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
});
