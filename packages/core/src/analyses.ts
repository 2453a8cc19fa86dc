/**
 * API → analysis Worker (queue `dfda-analyses`, issue 14): run this analysis. `run` is the analysis's
 * run number this message stands for (1 for the first, n + 1 when the Cron sweep re-queues a recompute);
 * a message whose run already finished changes nothing, so a redelivery is harmless.
 */
import { z } from "zod";

export const AnalysisMessage = z.object({
  v: z.literal(1),
  type: z.literal("analysis"),
  analysis_id: z.uuid(),
  tenant_id: z.uuid(),
  user_id: z.uuid(),
  run: z.int().min(1),
});
export type AnalysisMessage = z.infer<typeof AnalysisMessage>;
