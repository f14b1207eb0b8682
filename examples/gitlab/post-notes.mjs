// Posts the mimir-ports review of each open merge request as one MR note.
// Runs in a scheduled pipeline of the protected default branch (see
// .gitlab-ci.yml): it runs none of an MR's code and reads the review artifact
// as text only. No dependencies (Node >= 22, global fetch).
//
//   MIMIR_PORTS_NOTE_TOKEN  project access token (Reporter, scope api): masked, protected
//   MIMIR_PORTS_JOB         the MR job that writes review/comment.md (default mimir-ports-review)
//   CI_API_V4_URL, CI_PROJECT_ID  set by GitLab
import { pathToFileURL } from "node:url";

export const MARKER = "<!-- mimir-ports-review -->";
/** GitLab's limit for a note body. */
const NOTE_LIMIT = 1_000_000;

/** Every item of a paginated GitLab list (`x-next-page`, else the `Link: rel="next"` header). */
export async function* pages(request, path) {
  let url = path;
  while (url) {
    const res = await request(url);
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
    for (const item of await res.json()) yield item;
    const next = res.headers.get("x-next-page");
    const link = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get("link") ?? "");
    url = next ? `${path}${path.includes("?") ? "&" : "?"}page=${next}` : link ? link[1] : undefined;
  }
}

async function all(request, path) {
  const out = [];
  for await (const item of pages(request, path)) out.push(item);
  return out;
}

/**
 * One pass over the open MRs. `fetch` is injectable for tests. Returns what it
 * did per MR: "created", "updated", "unchanged" or why it skipped.
 */
export async function postNotes({ fetch: fetchFn = fetch, api, project, token, job = "mimir-ports-review" }) {
  const base = `${api}/projects/${encodeURIComponent(project)}`;
  const headers = { "PRIVATE-TOKEN": token };
  const request = (url, init = {}) => fetchFn(url.startsWith("http") ? url : `${base}${url}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
  const meRes = await fetchFn(`${api}/user`, { headers });
  if (!meRes.ok) throw new Error(`GET /user: HTTP ${meRes.status}`);
  const me = await meRes.json();
  const done = {};
  for (const mr of await all(request, "/merge_requests?state=opened&per_page=100")) {
    // The newest pipeline that ran on the MR's current head commit, and its review job.
    const pipelines = await all(request, `/merge_requests/${mr.iid}/pipelines?per_page=100`);
    const pipeline = pipelines.find((p) => p.sha === mr.sha);
    if (!pipeline) {
      done[mr.iid] = "no pipeline for the head commit yet";
      continue;
    }
    const jobs = await all(request, `/pipelines/${pipeline.id}/jobs?per_page=100`);
    const reviewJob = jobs.find((j) => j.name === job && j.commit?.id === mr.sha);
    if (!reviewJob || !["success", "failed"].includes(reviewJob.status)) {
      done[mr.iid] = "no finished review job for the head commit";
      continue;
    }
    const artifact = await request(`/jobs/${reviewJob.id}/artifacts/review/comment.md`);
    let body;
    if (artifact.ok) body = await artifact.text();
    else
      body = [
        MARKER,
        `## ❌ Mimir port contract: the review did not run (job "${job}" ${reviewJob.status} without a review)`,
        "",
        "> **Nothing in this MR was checked.**",
        ">",
        `> Log: ${reviewJob.web_url}`,
        "",
      ].join("\n");
    if (!body.startsWith(MARKER)) body = `${MARKER}\n${body}`;
    if (body.length > NOTE_LIMIT) body = `${body.slice(0, NOTE_LIMIT - 40)}\n\n_(cut at GitLab's limit)_\n`;
    // Our own note: written by this token's user and starting with the marker, on whichever page it is.
    const notes = await all(request, `/merge_requests/${mr.iid}/notes?per_page=100&sort=asc`);
    const mine = notes.find((n) => n.author?.id === me.id && typeof n.body === "string" && n.body.startsWith(MARKER));
    if (mine && mine.body === body) {
      done[mr.iid] = "unchanged";
      continue;
    }
    const res = await request(mine ? `/merge_requests/${mr.iid}/notes/${mine.id}` : `/merge_requests/${mr.iid}/notes`, {
      method: mine ? "PUT" : "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ body }),
    });
    if (!res.ok) throw new Error(`posting the note on !${mr.iid}: HTTP ${res.status}`);
    done[mr.iid] = mine ? "updated" : "created";
  }
  return done;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { CI_API_V4_URL: api, CI_PROJECT_ID: project, MIMIR_PORTS_NOTE_TOKEN: token, MIMIR_PORTS_JOB: job } = process.env;
  if (!api || !project || !token) {
    console.error("post-notes: CI_API_V4_URL, CI_PROJECT_ID and MIMIR_PORTS_NOTE_TOKEN are required");
    process.exit(2);
  }
  const done = await postNotes({ api, project, token, ...(job ? { job } : {}) });
  for (const [iid, what] of Object.entries(done)) console.log(`!${iid}: ${what}`);
}
