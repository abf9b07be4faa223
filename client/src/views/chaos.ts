import type { Faults, TriggerSettings } from "../../../common/events.js";
import type { PlaygroundState } from "../../../common/state.js";
import { call } from "../api.js";
import { refusalOf } from "../refusal.js";

export interface ChaosPanel {
  update(state: PlaygroundState): void;
  /** Open or close the panel (the presenter's `f`); opening moves the focus into it. */
  toggle(): void;
}

const FAULTS_FORM = `
  <form class="chaos-faults"><fieldset><legend>Faults in the handler and SQS</legend>
    <label>Fail rate <input type="range" name="failRate" min="0" max="1" step="0.05" value="0" /> <output name="failRateShown">0%</output></label>
    <label>Delay per record (ms) <input type="number" name="delayMs" min="0" max="900000" step="50" value="0" /></label>
    <label><input type="checkbox" name="timeout" /> Hang past the function timeout</label>
    <label>Crash after (records; empty: never) <input type="number" name="crashAfter" min="0" max="10000" /></label>
    <label><input type="checkbox" name="sqsUnavailable" /> SQS unavailable (503 to every call)</label>
    <label>Failures reported under <select name="responseKey"><option value="batchItemFailures">batchItemFailures (right)</option><option value="BatchItemFailures">BatchItemFailures (wrong case)</option></select></label>
    <label>Back off a failed record: base (s; empty: off) <input type="number" name="retryBackoffSeconds" min="1" max="43200" /></label>
    <div class="chaos-buttons"><button type="submit">Apply faults</button> <button type="button" class="chaos-clear">Clear faults</button></div>
  </fieldset></form>`;

const TRIGGER_FORM = `
  <form class="chaos-trigger"><fieldset><legend>The Lambda trigger</legend>
    <label><input type="checkbox" name="Enabled" /> Trigger on (applies at once)</label>
    <label>Batch size <input type="number" name="BatchSize" min="1" max="10000" /></label>
    <label>Batching window (s) <input type="number" name="MaximumBatchingWindowInSeconds" min="0" max="300" /></label>
    <label>Maximum concurrency (empty: none) <input type="number" name="MaximumConcurrency" min="2" max="1000" /></label>
    <label><input type="checkbox" name="ReportBatchItemFailures" /> ReportBatchItemFailures</label>
    <div class="chaos-buttons"><button type="submit">Apply trigger settings</button></div>
  </fieldset></form>`;

/**
 * Faults and trigger settings as controls, through the same HTTP control API the lessons use
 * (PUT /api/faults, PATCH /api/trigger): each change is refused or applied whole, and announced
 * on the timeline as faults.changed or trigger.updated. A follower sees the settings, disabled.
 */
export function mountChaos(root: HTMLElement, options: { readOnly: boolean }): ChaosPanel {
  root.innerHTML = `
    <h2><button type="button" class="chaos-toggle" aria-expanded="false" aria-controls="chaos-body">Chaos panel: faults and trigger</button></h2>
    <div id="chaos-body" class="chaos-body" hidden>${FAULTS_FORM}${TRIGGER_FORM}<p class="chaos-answer" role="status"></p></div>`;
  const toggleButton = root.querySelector(".chaos-toggle") as HTMLButtonElement;
  const body = root.querySelector(".chaos-body") as HTMLElement;
  const faultsForm = root.querySelector(".chaos-faults") as HTMLFormElement;
  const triggerForm = root.querySelector(".chaos-trigger") as HTMLFormElement;
  const answer = root.querySelector(".chaos-answer") as HTMLElement;
  const field = (form: HTMLFormElement, name: string) => form.elements.namedItem(name) as HTMLInputElement;
  for (const fieldset of root.querySelectorAll("fieldset")) fieldset.disabled = options.readOnly;
  // A form the user is editing is not overwritten by the live settings until it is applied.
  const editing = new Set<HTMLFormElement>();
  // The settings last written into the forms: update() runs on every frame of a burst, and
  // rewriting ten fields (and the rate's output) each time cost a style and layout pass.
  let shownFaults: Faults | undefined;
  let shownTrigger: TriggerSettings | undefined;
  const shownRate = () => ((faultsForm.elements.namedItem("failRateShown") as HTMLOutputElement).value = `${Math.round(Number(field(faultsForm, "failRate").value) * 100)}%`);
  for (const form of [faultsForm, triggerForm]) form.addEventListener("input", () => void editing.add(form));
  faultsForm.addEventListener("input", shownRate);

  const send = async (what: string, method: string, path: string, body: unknown, form?: HTMLFormElement) => {
    const result = await call(method, path, body);
    answer.textContent = result.ok ? `${what}: applied ✓` : `${what} refused: ${refusalOf(result.json, result.status)}`;
    showInPanel(answer);
    if (result.ok && form) editing.delete(form);
    // Whatever the answer, the forms show the live settings again (a refused change is undone).
    shownFaults = shownTrigger = undefined;
  };

  const faults = (): Faults => {
    const crash = field(faultsForm, "crashAfter").value;
    const backoff = field(faultsForm, "retryBackoffSeconds").value;
    return {
      failRate: Number(field(faultsForm, "failRate").value),
      delayMs: Number(field(faultsForm, "delayMs").value || 0),
      timeout: field(faultsForm, "timeout").checked,
      crashAfter: crash === "" ? null : Number(crash),
      sqsUnavailable: field(faultsForm, "sqsUnavailable").checked,
      responseKey: field(faultsForm, "responseKey").value,
      retryBackoffSeconds: backoff === "" ? null : Number(backoff),
    };
  };
  const trigger = (): Omit<TriggerSettings, "Enabled"> => {
    const limit = field(triggerForm, "MaximumConcurrency").value;
    return {
      BatchSize: Number(field(triggerForm, "BatchSize").value),
      MaximumBatchingWindowInSeconds: Number(field(triggerForm, "MaximumBatchingWindowInSeconds").value),
      ScalingConfig: limit === "" ? {} : { MaximumConcurrency: Number(limit) },
      FunctionResponseTypes: field(triggerForm, "ReportBatchItemFailures").checked ? ["ReportBatchItemFailures"] : [],
    };
  };

  faultsForm.addEventListener("submit", (submit) => {
    submit.preventDefault();
    void send("Faults", "PUT", "/api/faults", faults(), faultsForm);
  });
  root.querySelector(".chaos-clear")?.addEventListener("click", () => void send("Faults cleared", "PUT", "/api/faults", {}, faultsForm));
  triggerForm.addEventListener("submit", (submit) => {
    submit.preventDefault();
    void send("Trigger settings", "PATCH", "/api/trigger", trigger(), triggerForm);
  });
  field(triggerForm, "Enabled").addEventListener("change", (change) => {
    const on = (change.target as HTMLInputElement).checked;
    void send(on ? "Trigger on" : "Trigger off", "PATCH", "/api/trigger", { Enabled: on });
  });

  const toggle = () => {
    body.hidden = !body.hidden;
    toggleButton.setAttribute("aria-expanded", String(!body.hidden));
    if (!body.hidden) (body.querySelector("input") as HTMLInputElement | null)?.focus();
  };
  toggleButton.addEventListener("click", toggle);

  return {
    toggle,
    update(state) {
      const f = state.faults;
      if (f && f !== shownFaults && !editing.has(faultsForm)) {
        shownFaults = f;
        field(faultsForm, "failRate").value = String(f.failRate);
        field(faultsForm, "delayMs").value = String(f.delayMs);
        field(faultsForm, "timeout").checked = f.timeout;
        field(faultsForm, "crashAfter").value = f.crashAfter === null ? "" : String(f.crashAfter);
        field(faultsForm, "sqsUnavailable").checked = f.sqsUnavailable;
        field(faultsForm, "responseKey").value = f.responseKey;
        field(faultsForm, "retryBackoffSeconds").value = f.retryBackoffSeconds ? String(f.retryBackoffSeconds) : "";
        shownRate();
      }
      const s = state.trigger.settings;
      if (s && s !== shownTrigger) field(triggerForm, "Enabled").checked = s.Enabled;
      if (s && s !== shownTrigger && !editing.has(triggerForm)) {
        shownTrigger = s;
        field(triggerForm, "BatchSize").value = String(s.BatchSize);
        field(triggerForm, "MaximumBatchingWindowInSeconds").value = String(s.MaximumBatchingWindowInSeconds);
        field(triggerForm, "MaximumConcurrency").value = s.ScalingConfig.MaximumConcurrency === undefined ? "" : String(s.ScalingConfig.MaximumConcurrency);
        field(triggerForm, "ReportBatchItemFailures").checked = s.FunctionResponseTypes.includes("ReportBatchItemFailures");
      }
    },
  };
}

/**
 * Scrolls the drawer's panel (only it) so that `el` is in view: the answer to Apply sits under the
 * forms, and in the drawer under the lesson it was out of sight ("Faults: applied ✓" unseen).
 * scrollIntoView also scrolled the stage around the panel and cut the drawing's top off.
 */
function showInPanel(el: HTMLElement): void {
  const panel = el.closest<HTMLElement>(".tab-panel");
  if (!panel) return;
  const below = el.getBoundingClientRect().bottom - panel.getBoundingClientRect().bottom;
  if (below > 0) panel.scrollTop += below + 8;
}
