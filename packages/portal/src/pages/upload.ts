/**
 * Upload: files dropped on the page (or chosen with the button, for keyboards), several at once, each
 * uploaded through the SDK (POST /v1/ingest/files) and its mapping job followed until it ends, with the
 * job's issues in words. Below, the person's files: download the original, map it again, delete it (a
 * file and every value mapped from it; needs a recent sign-in, docs/identity.md).
 */
import { type components, type DfdaFile, type IngestJob, problemFrom } from "@dfda/sdk";
import { h, replace } from "../dom";
import type { Page } from "../main";
import { client } from "../session";
import { bytes, confirmIrreversible, count, empty, errorBox, loading, scroller, when } from "../ui";

type FileReprocessing = components["schemas"]["FileReprocessing"];

export const upload: Page = { path: "/app/upload", title: "Upload", render };

const JOB_WORDS: Record<string, string> = {
  queued: "Waiting to be mapped",
  processing: "Mapping",
  completed: "Mapped",
  completed_with_issues: "Mapped, with issues",
  failed: "Mapping failed",
  unsupported_format: "Not a format the platform reads",
};

const FILE_WORDS: Record<string, string> = {
  stored: "Stored",
  processing: "Mapping",
  mapped: "Mapped",
  unsupported_format: "Format not supported",
  failed: "Failed",
};

async function render(main: HTMLElement): Promise<void> {
  main.append(h("h1", { tabindex: -1 }, "Upload"));
  const input = h("input", { type: "file", id: "upload-input", multiple: true, class: "visually-hidden" });
  const zone = h(
    "div",
    { class: "dropzone" },
    h("p", null, "Drop files here, or"),
    h("label", { for: "upload-input", class: "button" }, "Choose files"),
    input,
    h(
      "p",
      { class: "hint" },
      "FHIR, HL7 v2, C-CDA, CSV, Open mHealth, Apple Health, openEHR, Garmin FIT and wearable exports. " +
        "The same file twice is stored once.",
    ),
  );
  const progressList = h("ul", { class: "uploads", "aria-live": "polite", "aria-label": "Uploads in progress" });
  // Outcomes of the actions on the list (announced), kept while the list is drawn again.
  const message = h("div", { class: "file-messages", "aria-live": "polite" });
  const files = h(
    "section",
    { "aria-labelledby": "files-title" },
    h("h2", { id: "files-title" }, "Your files"),
    message,
  );
  const refresh = () => listFiles(files, message);

  const start = (chosen: FileList | null) => {
    for (const file of Array.from(chosen ?? [])) void uploadOne(file, progressList, refresh);
  };
  input.addEventListener("change", () => {
    start(input.files);
    input.value = "";
  });
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    start(event.dataTransfer?.files ?? null);
  });
  // Focus shows on the visible "Choose files" label while the real input is hidden.
  input.addEventListener("focus", () => zone.classList.add("focus"));
  input.addEventListener("blur", () => zone.classList.remove("focus"));

  main.append(zone, progressList, files);
  await refresh();
}

function jobLine(job: IngestJob): string {
  const words = JOB_WORDS[job.status] ?? job.status;
  const c = job.counts;
  const parts = [`${count(c.stored)} stored`];
  if (c.duplicates) parts.push(`${count(c.duplicates)} already there`);
  if (c.flagged) parts.push(`${count(c.flagged)} outside the valid range`);
  if (c.rejected) parts.push(`${count(c.rejected)} rejected`);
  if (c.pending) parts.push(`${count(c.pending)} held until their codes are mapped`);
  return `${words}: ${parts.join(", ")}.`;
}

function issuesOf(job: IngestJob): HTMLElement | null {
  if (job.issues.length === 0 && !job.error) return null;
  return h(
    "details",
    { class: "issues" },
    h(
      "summary",
      null,
      job.error ? "What went wrong" : `${job.issues.length} issue${job.issues.length === 1 ? "" : "s"}`,
    ),
    h(
      "ul",
      null,
      job.error ? h("li", null, job.error) : null,
      job.issues.map((i) =>
        h(
          "li",
          { class: i.severity },
          `${i.severity === "error" ? "Error" : i.severity === "warning" ? "Warning" : "Note"}: `,
          i.message,
          i.location ? ` (at ${i.location})` : "",
        ),
      ),
    ),
  );
}

/** Follows a mapping job into `row` until it ends. */
async function follow(
  jobId: string,
  row: HTMLElement,
  bar: HTMLProgressElement,
  line: HTMLElement,
): Promise<IngestJob> {
  return client.jobs.wait(jobId, {
    onProgress: (job) => {
      line.textContent = `${JOB_WORDS[job.status] ?? job.status}…`;
      if (job.progress.total > 0) {
        bar.max = job.progress.total;
        bar.value = job.progress.processed;
      } else bar.removeAttribute("value");
      row.dataset.status = job.status;
    },
  });
}

async function uploadOne(file: File, list: HTMLElement, refresh: () => Promise<void>): Promise<void> {
  const bar = h("progress", { max: 1, value: 0, "aria-label": `${file.name} progress` });
  const line = h("span", { class: "line" }, "Uploading…");
  const row = h(
    "li",
    { "data-status": "uploading" },
    h("strong", null, file.name),
    ` (${bytes(file.size)}) `,
    bar,
    line,
  );
  list.prepend(row);
  try {
    const accepted = await client.files.upload(file, {
      onProgress: (sent, total) => {
        bar.max = total ?? file.size;
        bar.value = sent;
      },
    });
    if (accepted.existing) {
      line.textContent = "Already uploaded before: the earlier file is kept.";
      row.dataset.status = "existing";
      bar.max = 1;
      bar.value = 1;
    } else if (accepted.job_id) {
      bar.removeAttribute("value");
      const job = await follow(accepted.job_id, row, bar, line);
      line.textContent = jobLine(job);
      bar.max = 1;
      bar.value = 1;
      const issues = issuesOf(job);
      if (issues) row.append(issues);
    }
  } catch (error) {
    row.dataset.status = "error";
    line.textContent = "";
    row.append(errorBox(error));
  }
  await refresh();
}

async function listFiles(section: HTMLElement, message: HTMLElement): Promise<void> {
  const body = section.querySelector(".files-body") ?? h("div", { class: "files-body" });
  if (!body.isConnected) section.append(body);
  replace(body, loading("your files"));
  const files: DfdaFile[] = [];
  for await (const f of client.files.list({ limit: 100 })) files.push(f);
  if (files.length === 0) {
    replace(body, empty(h("p", null, "No files yet. Files you upload are listed here.")));
    return;
  }
  replace(
    body,
    scroller(
      "Your files",
      h(
        "table",
        { class: "files" },
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            ["Name", "Format", "Status", "Size", "Uploaded", "Actions"].map((t) => h("th", { scope: "col" }, t)),
          ),
        ),
        h(
          "tbody",
          null,
          files.map((f) => fileRow(f, message, () => listFiles(section, message))),
        ),
      ),
    ),
  );
}

function fileRow(file: DfdaFile, message: HTMLElement, refresh: () => Promise<void>): HTMLElement {
  const name = file.name ?? "(unnamed)";
  const download = async () => {
    try {
      const response = await client.fetch(new Request(`${client.baseUrl}/v1/files/${file.id}/content`));
      if (!response.ok) throw await problemFrom(response);
      const url = URL.createObjectURL(await response.blob());
      const link = h("a", { href: url, download: name });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      replace(message, errorBox(error));
    }
  };
  const reprocess = async () => {
    replace(message, h("p", { role: "status" }, `Mapping ${name} again…`));
    try {
      const started: FileReprocessing = await client.unwrap(
        client.api.POST("/v1/files/{id}/reprocess", { params: { path: { id: file.id } } }),
      );
      const job = await client.jobs.wait(started.job_id);
      replace(message, h("p", { role: "status" }, `${name}: ${jobLine(job)}`), issuesOf(job));
      await refresh();
    } catch (error) {
      replace(message, errorBox(error));
    }
  };
  const remove = async () => {
    const sure = await confirmIrreversible(
      `Delete ${name}?`,
      "The file and every value that was read from it will be deleted.",
      "Delete file",
    );
    if (!sure) return;
    try {
      await client.unwrap(client.api.DELETE("/v1/files/{id}", { params: { path: { id: file.id } } }));
      await refresh();
      replace(message, h("p", { role: "status" }, `${name} was deleted.`));
    } catch (error) {
      replace(message, errorBox(error));
    }
  };
  return h(
    "tr",
    null,
    h("th", { scope: "row" }, name),
    h("td", null, file.format),
    h(
      "td",
      null,
      FILE_WORDS[file.status] ?? file.status,
      file.error ? h("span", { class: "detail" }, ` (${file.error})`) : null,
    ),
    h("td", null, bytes(file.size_bytes)),
    h("td", null, when(file.created_at)),
    h(
      "td",
      { class: "actions" },
      h(
        "button",
        { type: "button", class: "secondary", onclick: download, "aria-label": `Download ${name}` },
        "Download",
      ),
      h(
        "button",
        { type: "button", class: "secondary", onclick: reprocess, "aria-label": `Reprocess ${name}` },
        "Reprocess",
      ),
      h("button", { type: "button", class: "danger", onclick: remove, "aria-label": `Delete ${name}` }, "Delete"),
    ),
  );
}
