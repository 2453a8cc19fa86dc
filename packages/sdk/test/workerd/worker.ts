/**
 * The SDK inside a Worker, as a developer's server-side Worker would use it: it signs in as its own
 * confidential client (client credentials, RFC 6749 §4.4), writes a person's heart rate readings
 * through the consent grant that person gave the app (docs/consent.md, "app"), waits for the ingest
 * jobs, and reads the readings back page by page. The test POSTs the task as JSON and reads what the
 * Worker saw; a refusal comes back as the SDK's typed problem (`code`, `status`), so the test can see
 * that errors, too, surface in workerd as they do elsewhere.
 */
import { DfdaClient, DfdaProblem, type IngestJob, type Observation } from "@dfda/sdk";

export interface Task {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Whose record the app writes and reads (the owner of the grant). */
  userId: string;
  readings: { value: number; start_at: string }[];
}

export interface Outcome {
  /** `navigator.userAgent`: "Cloudflare-Workers" in workerd. */
  runtime: string;
  jobs?: { status: string; stored: number }[];
  read?: { value: number | null; start_at: string }[];
  /** Pages fetched while iterating (the cursor was followed). */
  pages?: number;
  problem?: { status: number; code: string };
}

export default {
  async fetch(request: Request): Promise<Response> {
    const task = await request.json<Task>();
    // `navigator` is a global of workerd (and browsers); typed loosely here, as the project's types are Node's too.
    const runtime = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? "unknown";
    const outcome: Outcome = { runtime };
    let pages = 0;
    // Counts the list requests, to show the iterator followed the cursor; everything else passes through.
    const counting: typeof fetch = (input, init) => {
      const r = new Request(input, init);
      if (new URL(r.url).pathname === "/v1/observations") pages++;
      return fetch(r);
    };
    try {
      const client = await DfdaClient.withClientCredentials({
        baseUrl: task.baseUrl,
        clientId: task.clientId,
        clientSecret: task.clientSecret,
        scope: "observations:read observations:write",
        fetch: counting,
      });
      const jobs = (await client.observations.send(
        task.readings.map((r) => ({
          variable: { system: "http://loinc.org", code: "8867-4" },
          value: r.value,
          unit: "/min",
          start_at: r.start_at,
        })),
        { userId: task.userId, wait: true },
      )) as IngestJob[];
      outcome.jobs = jobs.map((j) => ({ status: j.status, stored: j.counts.stored }));
      const read: Observation[] = [];
      // Two per page: the readings span pages, so the cursor is followed inside workerd too.
      for await (const o of client.observations.list({
        user_id: task.userId,
        variable: "http://loinc.org|8867-4",
        limit: 2,
      }))
        read.push(o);
      outcome.read = read.map((o) => ({ value: o.value, start_at: o.start_at }));
      outcome.pages = pages;
      return Response.json(outcome);
    } catch (error) {
      if (error instanceof DfdaProblem) {
        outcome.problem = { status: error.status, code: error.code };
        return Response.json(outcome, { status: 422 });
      }
      throw error;
    }
  },
};
