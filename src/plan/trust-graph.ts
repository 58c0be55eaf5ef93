/**
 * The trust graph of a plan as a Mermaid flowchart: tenant -> application -> API -> cloud
 * identity. Mermaid's defaults refuse a diagram of more than 500 edges (maxEdges) or 50,000
 * characters (maxTextSize), and GitHub renders with those defaults, so above GRAPH_EDGE_LIMIT
 * edges or GRAPH_TEXT_LIMIT characters the graph is aggregated: per API, how many tenants and
 * applications it is granted to, and per cloud how many identities accept its tokens.
 */
import type { Plan } from "./plan.ts";

/** Above this many edges the graph is aggregated (Mermaid's maxEdges default is 500). */
export const GRAPH_EDGE_LIMIT = 400;
/** Above this many characters the graph is aggregated (Mermaid's maxTextSize default is 50,000). */
export const GRAPH_TEXT_LIMIT = 40_000;

/** A rendered graph and whether it had to be aggregated. */
export interface TrustGraph {
  readonly mermaid: string;
  readonly edges: number;
  readonly aggregated: boolean;
}

/** The plan's trust graph, full when it fits Mermaid's limits, aggregated per API and cloud otherwise. */
export function trustGraph(plan: Plan): TrustGraph {
  return fullGraph(plan) ?? aggregatedGraph(plan);
}

/** Mermaid node text: quoted, with the characters that would end the label escaped. */
const label = (text: string) =>
  `"${text.replace(/"/g, "#quot;").replace(/[<>]/g, (c) => (c === "<" ? "#lt;" : "#gt;"))}"`;

const HEADER = "flowchart LR";

class Flowchart {
  private readonly ids = new Map<string, string>();
  private readonly lines: string[] = [HEADER];
  private readonly edgeSet = new Set<string>();
  /** The length of the Mermaid text so far. */
  private length = HEADER.length;

  /** Past Mermaid's limits as drawn so far (a chart only grows). */
  get overLimits(): boolean {
    return this.edgeSet.size > GRAPH_EDGE_LIMIT || this.length > GRAPH_TEXT_LIMIT;
  }

  private line(text: string): void {
    this.lines.push(text);
    this.length += 1 + text.length;
  }

  node(key: string, text: string, shape: "box" | "round" | "hex" = "box"): string {
    let id = this.ids.get(key);
    if (!id) {
      id = `n${this.ids.size}`;
      this.ids.set(key, id);
      const [open, close] = shape === "round" ? ["(", ")"] : shape === "hex" ? ["{{", "}}"] : ["[", "]"];
      this.line(`  ${id}${open}${label(text)}${close}`);
    }
    return id;
  }

  edge(from: string, to: string, text?: string): void {
    const key = `${from}>${to}>${text ?? ""}`;
    if (this.edgeSet.has(key)) return;
    this.edgeSet.add(key);
    this.line(text ? `  ${from} -->|${label(text)}| ${to}` : `  ${from} --> ${to}`);
  }

  done(aggregated: boolean): TrustGraph {
    return { mermaid: this.lines.join("\n"), edges: this.edgeSet.size, aggregated };
  }
}

/** The whole graph, or undefined as soon as it is past Mermaid's limits (not drawn to the end). */
function fullGraph(plan: Plan): TrustGraph | undefined {
  const chart = new Flowchart();
  for (const tenant of plan.tenants) {
    const t = chart.node(`tenant:${tenant.id}`, `tenant ${tenant.id}`, "round");
    for (const w of tenant.workloads) {
      const app = chart.node(`app:${w.tenantId}/${w.workload}`, `${w.tenantId}/${w.workload}`);
      chart.edge(t, app);
      for (const g of w.grants)
        chart.edge(app, chart.node(`api:${g.api}`, `API ${g.api}`, "hex"), g.scopes.join(" "));
      for (const i of w.identities) {
        const api = chart.node(`api:${i.api}`, `API ${i.api}`, "hex");
        chart.edge(api, chart.node(`id:${i.cloud}:${i.label}`, `${i.cloud} ${i.label}`, "round"));
      }
      if (chart.overLimits) return undefined;
    }
  }
  return chart.done(false);
}

function aggregatedGraph(plan: Plan): TrustGraph {
  const chart = new Flowchart();
  const perApi = new Map<string, { tenants: Set<string>; apps: number }>();
  const perCloud = new Map<string, { api: string; cloud: string; identities: Set<string> }>();
  for (const tenant of plan.tenants) {
    for (const w of tenant.workloads) {
      for (const g of w.grants) {
        const entry = perApi.get(g.api) ?? { tenants: new Set<string>(), apps: 0 };
        entry.tenants.add(tenant.id);
        entry.apps++;
        perApi.set(g.api, entry);
      }
      for (const i of w.identities) {
        const key = `${i.api}:${i.cloud}`;
        const entry = perCloud.get(key) ?? { api: i.api, cloud: i.cloud, identities: new Set<string>() };
        entry.identities.add(i.label);
        perCloud.set(key, entry);
      }
    }
  }
  for (const [api, { tenants, apps }] of perApi) {
    const t = chart.node(`tenants:${api}`, `${tenants.size} tenants`, "round");
    const a = chart.node(`apps:${api}`, `${apps} applications`);
    const node = chart.node(`api:${api}`, `API ${api}`, "hex");
    chart.edge(t, a);
    chart.edge(a, node);
  }
  for (const { api, cloud, identities } of perCloud.values()) {
    chart.edge(
      chart.node(`api:${api}`, `API ${api}`, "hex"),
      chart.node(`cloud:${api}:${cloud}`, `${cloud}: ${identities.size} identities`, "round"),
    );
  }
  return chart.done(true);
}
