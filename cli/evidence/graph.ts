/**
 * The data-flow picture, from the inventory: sites grouped as Kazakhstan, abroad and not proven;
 * stores, tunnel gateways, backup destinations, entry points, capture hosts and the audit alert
 * path as nodes; backups, replication, tunnels, first touch and alerts as edges labelled with what
 * crosses and how it is protected; what a denial is about drawn in red. One graph, two notations:
 * Graphviz DOT (laid out by Graphviz compiled to WebAssembly, @viz-js/viz, into the SVG) and
 * Mermaid (for report.md, which GitHub and most Markdown viewers draw).
 */
import type { Finding } from '../report';
import type { Translate } from '../i18n';
import type { EdgeRow, Inventory, SiteRow } from './inventory';

/** Edge kinds of the flow inventory that copy a store for safekeeping, and that copy it live. */
const BACKUP_KINDS: ReadonlySet<string> = new Set(['backup', 'dump', 'volume-backup']);
const COPY_KINDS: ReadonlySet<string> = new Set(['replication', 'logical-replication']);

export type NodeKind = 'store' | 'gateway' | 'endpoint' | 'entry' | 'front' | 'host' | 'ruler' | 'alertmanager' | 'placeholder';

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** What the node stands for: a store's id, an endpoint URL, a host name. */
  readonly ref: string;
  readonly label: readonly string[];
  /** Its site, or a group when it has none: `abroad:<jurisdiction>`, `unproven`, `internet`. */
  readonly group: string;
  readonly violation: boolean;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeRow['kind'];
  readonly label: readonly string[];
  readonly violation: boolean;
  readonly declared: boolean;
}

export interface SiteGroup {
  readonly id: string;
  readonly label: readonly string[];
  /** `kz`, `abroad` or `unproven`. */
  readonly region: 'kz' | 'abroad' | 'unproven' | 'internet';
}

export interface FlowGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly groups: readonly SiteGroup[];
}

const FLOW_RULES = /^KZ-(BAK|XBT|FT)-/;

export function buildGraph(inv: Inventory, deny: readonly Finding[], t: Translate): FlowGraph {
  const flagged = new Map<string, Set<string>>();
  for (const f of deny) {
    for (const r of [f.resource, ...(f.alsoOn ?? [])]) {
      const s = flagged.get(r) ?? new Set<string>();
      s.add(f.rule);
      flagged.set(r, s);
    }
  }
  const violated = (ref: string, rule?: RegExp): boolean => {
    const rules = flagged.get(ref);
    return !!rules && (!rule || [...rules].some((r) => rule.test(r)));
  };
  const nodes = new Map<string, GraphNode>();
  const groups = new Map<string, SiteGroup>();
  const siteById = new Map(inv.sites.map((s) => [s.id, s]));
  const klass = (c: string | null) => t(`class.${c ?? 'unclassified'}` as Parameters<Translate>[0]);
  const role = (r: string) => (['primary', 'standby', 'replica', 'backup', 'cache', 'gateway', 'audit'].includes(r) ? t(`role.${r}` as Parameters<Translate>[0]) : r);

  const groupOf = (site: string | null, jurisdictions: readonly string[]): string => {
    if (site && siteById.has(site)) {
      addSite(siteById.get(site) as SiteRow);
      return site;
    }
    if (jurisdictions.length > 0 && !jurisdictions.includes('KZ')) {
      const id = `abroad:${[...jurisdictions].sort().join('+')}`;
      if (!groups.has(id)) groups.set(id, { id, label: [jurisdictions.join(', ')], region: 'abroad' });
      return id;
    }
    if (!groups.has('unproven')) groups.set('unproven', { id: 'unproven', label: [t('flow.unproven')], region: 'unproven' });
    return 'unproven';
  };
  const addSite = (s: SiteRow) => {
    if (groups.has(s.id)) return;
    const detail = [s.city, s.operator].filter((x): x is string => !!x).join(' · ');
    groups.set(s.id, { id: s.id, label: [`${s.id} (${s.jurisdiction})`, ...(detail ? [detail] : [])], region: s.kz ? 'kz' : 'abroad' });
  };
  for (const s of inv.sites) addSite(s);

  const add = (n: Omit<GraphNode, 'id'>): string => {
    const key = `${n.kind}\u0000${n.ref}`;
    const known = nodes.get(key);
    if (known) return known.id;
    const id = `n${nodes.size + 1}`;
    nodes.set(key, { ...n, id });
    return id;
  };
  const idOf = new Map<string, string>();

  for (const s of inv.stores) {
    const name = s.name ?? s.id;
    idOf.set(
      s.id,
      add({
        kind: 'store',
        ref: s.id,
        label: [s.engine ? `${name} (${s.engine})` : name, `${klass(s.data_class)} · ${role(s.effective_role)}`],
        group: groupOf(s.site, s.jurisdictions),
        violation: violated(s.id),
      }),
    );
  }
  for (const g of inv.gateways) {
    idOf.set(
      g.id,
      add({
        kind: 'gateway',
        ref: g.id,
        label: [t('flow.gateway'), [g.side, g.profile].filter(Boolean).join(' · ')].filter((x) => x !== ''),
        group: groupOf(g.site, g.jurisdictions),
        violation: violated(g.id),
      }),
    );
  }
  for (const l of inv.logStores) {
    idOf.set(l.id, add({ kind: 'ruler', ref: l.id, label: [t('flow.ruler')], group: groupOf(l.site, []), violation: false }));
  }

  const edges: GraphEdge[] = [];
  const enc = (e: EdgeRow) => (e.encrypted === true ? t('flow.encrypted') : e.encrypted === false ? t('flow.notEncrypted') : null);
  for (const e of inv.edges) {
    const kindLabel = t(`flow.kind.${e.kind}` as Parameters<Translate>[0]);
    let from = idOf.get(e.source);
    let to = idOf.get(e.destination);
    if (!to) {
      const jurisdictions = e.destination_jurisdiction ? [e.destination_jurisdiction] : [];
      const kind: NodeKind =
        e.destination_kind === 'object-storage'
          ? 'endpoint'
          : e.destination_kind === 'entry'
            ? 'entry'
            : e.destination_kind === 'front'
              ? 'front'
              : e.destination_kind === 'alertmanager'
                ? 'alertmanager'
                : 'endpoint';
      const label =
        kind === 'endpoint'
          ? e.destination_kind === 'object-storage'
            ? [t('flow.objectStorage'), e.destination.replace(/^https?:\/\//, '')]
            : [e.destination.replace(/^[a-z][a-z0-9+.-]*:\/\//, '')]
          : kind === 'entry'
            ? [t('flow.entry'), shortName(e.destination)]
            : kind === 'front'
              ? [t('flow.front'), e.protection ?? shortName(e.destination)]
              : [t('flow.alertmanager')];
      to = add({
        kind,
        ref: e.destination,
        label,
        group: kind === 'front' ? groupOf(null, ['?']) : groupOf(e.destination_site, jurisdictions),
        violation: kind === 'front' || violated(e.destination, /^KZ-FT-/),
      });
      idOf.set(e.destination, to);
    }
    if (!from) {
      if (e.kind === 'first-touch') {
        from = add({ kind: 'host', ref: e.source, label: [e.source], group: 'internet', violation: false });
        if (!groups.has('internet')) groups.set('internet', { id: 'internet', label: [t('flow.internet')], region: 'internet' });
      } else {
        from = add({ kind: 'endpoint', ref: e.source, label: [shortName(e.source)], group: groupOf(null, []), violation: false });
      }
      idOf.set(e.source, from);
    }
    const what = e.kind === 'alerting' ? [] : e.carries === 'audit' ? [t('flow.auditRecords')] : [klass(e.carries)];
    const protection = [enc(e), e.kind === 'tunnel' || COPY_KINDS.has(e.kind) ? e.protection?.replace(/ \(.*\)$/, '') : null].filter(
      (x): x is string => !!x,
    );
    const abroad = e.destination_jurisdiction !== null && e.destination_jurisdiction !== 'KZ';
    const violation =
      (BACKUP_KINDS.has(e.kind) && violated(e.source, /^KZ-(BAK|XBT)-/) && !(e.destination_jurisdiction === 'KZ')) ||
      (COPY_KINDS.has(e.kind) && violated(e.destination, FLOW_RULES)) ||
      (e.kind === 'first-touch' && (e.destination_kind === 'front' || violated(e.destination, /^KZ-FT-/))) ||
      (e.kind === 'tunnel' && e.encrypted === false) ||
      (abroad && e.encrypted === false && e.carries !== 'case' && e.carries !== 'public');
    const label = [
      e.via ? `${kindLabel} ${e.via}` : kindLabel,
      [...what, ...protection].join(' · '),
      ...(e.proof === 'declared' ? [`(${t('flow.proof.declared').replace(/ \(.*\)$/, '')})`] : []),
    ].filter((x) => x !== '');
    edges.push({ from, to, kind: e.kind, label, violation, declared: e.proof === 'declared' });
  }
  // an empty registered site would vanish from the picture: give it a note
  for (const g of groups.values()) {
    if (g.region === 'kz' || g.region === 'abroad') {
      if (![...nodes.values()].some((n) => n.group === g.id)) add({ kind: 'placeholder', ref: g.id, label: ['—'], group: g.id, violation: false });
    }
  }
  return { nodes: [...nodes.values()], edges: dedupeEdges(edges), groups: [...groups.values()] };
}

function shortName(ref: string): string {
  const parts = ref.split('/');
  return parts.length > 2 ? parts.slice(-3, -1).join('/') : ref;
}

function dedupeEdges(edges: GraphEdge[]): GraphEdge[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const k = `${e.from}\u0000${e.to}\u0000${e.kind}\u0000${e.label.join('\n')}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Graphviz DOT
// ---------------------------------------------------------------------------------------------

const RED = '#c62828';

function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function dotLabel(lines: readonly string[]): string {
  return `"${lines.map((l) => l.replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join('\\n')}"`;
}

const SHAPE: Record<NodeKind, string> = {
  store: 'cylinder',
  gateway: 'hexagon',
  endpoint: 'folder',
  entry: 'invhouse',
  front: 'invhouse',
  host: 'box',
  ruler: 'component',
  alertmanager: 'component',
  placeholder: 'plaintext',
};

const EDGE_STYLE: Record<string, string> = {
  backup: 'style=dashed',
  dump: 'style=dashed',
  'volume-backup': 'style=dashed',
  replication: 'style=solid, penwidth=1.6',
  'logical-replication': 'style=solid, penwidth=1.6',
  'service-alias': 'style=solid',
  tunnel: 'color="#37474f:invis:#37474f", penwidth=1.2',
  'first-touch': 'style=solid',
  alerting: 'style=dotted',
  'log-shipping': 'style=solid, color="#6a1b9a", fontcolor="#6a1b9a"',
  'log-storage': 'style=solid, color="#6a1b9a", fontcolor="#6a1b9a"',
};

export function toDot(g: FlowGraph, t: Translate): string {
  const out: string[] = [];
  out.push('digraph dataflow {');
  out.push('  graph [rankdir=LR, fontname="DejaVu Sans", fontsize=11, nodesep=0.35, ranksep=0.9, compound=true, bgcolor="white", pad=0.2];');
  out.push('  node [fontname="DejaVu Sans", fontsize=10, style=filled, fillcolor="#ffffff", color="#37474f"];');
  out.push('  edge [fontname="DejaVu Sans", fontsize=9, color="#37474f", fontcolor="#37474f"];');
  const regions: Array<[SiteGroup['region'], string, string]> = [
    ['internet', t('flow.internet'), '#f5f5f5'],
    ['kz', t('flow.kz'), '#e8f5e9'],
    ['abroad', t('flow.abroad'), '#fff3e0'],
    ['unproven', t('flow.unproven'), '#fce4ec'],
  ];
  regions.forEach(([region, label, fill], ri) => {
    const inRegion = g.groups.filter((x) => x.region === region);
    if (inRegion.length === 0) return;
    out.push(`  subgraph cluster_r${ri} {`);
    out.push(`    label=${dotString(label)}; style="rounded,filled"; fillcolor="${fill}"; color="#90a4ae"; fontsize=13; id=${dotString(`region-${region}`)}; class="kz-region";`);
    inRegion.forEach((grp, gi) => {
      const siteCluster = region === 'kz' || region === 'abroad';
      const members = g.nodes.filter((n) => n.group === grp.id);
      if (siteCluster) {
        out.push(`    subgraph cluster_r${ri}_${gi} {`);
        out.push(`      label=${dotLabel(grp.label)}; style="rounded,filled"; fillcolor="#ffffff"; color="#78909c"; id=${dotString(`site-${grp.id}`)}; class="kz-site";`);
      }
      for (const n of members) out.push(`      ${nodeLine(n)}`);
      if (siteCluster) out.push('    }');
    });
    out.push('  }');
  });
  for (const e of g.edges) {
    const style = EDGE_STYLE[e.kind] ?? 'style=solid';
    const red = e.violation ? `, color="${e.kind === 'tunnel' ? `${RED}:invis:${RED}` : RED}", fontcolor="${RED}", penwidth=2.2` : '';
    out.push(`  ${e.from} -> ${e.to} [label=${dotLabel(e.label)}, ${style}${red}, class="kz-edge kz-edge-${e.kind}${e.violation ? ' kz-violation' : ''}"];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

function nodeLine(n: GraphNode): string {
  const attrs = [
    `label=${dotLabel(n.label)}`,
    `shape=${SHAPE[n.kind]}`,
    `id=${dotString(`${n.kind}-${n.id}`)}`,
    `class="kz-${n.kind}${n.violation ? ' kz-violation' : ''}"`,
    `tooltip=${dotString(n.ref)}`,
  ];
  if (n.violation) attrs.push(`color="${RED}"`, `fontcolor="${RED}"`, 'penwidth=2.2', 'fillcolor="#ffebee"');
  if (n.kind === 'host') attrs.push('style="rounded,filled"', 'fillcolor="#eceff1"');
  return `${n.id} [${attrs.join(', ')}];`;
}

// ---------------------------------------------------------------------------------------------
// Mermaid
// ---------------------------------------------------------------------------------------------

function mermaidText(lines: readonly string[]): string {
  return `"${lines
    .map((l) => l.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;'))
    .join('<br/>')}"`;
}

const MERMAID_SHAPE: Record<NodeKind, [string, string]> = {
  store: ['[(', ')]'],
  gateway: ['{{', '}}'],
  endpoint: ['[/', '/]'],
  entry: ['[\\', '/]'],
  front: ['[\\', '/]'],
  host: ['([', '])'],
  ruler: ['[[', ']]'],
  alertmanager: ['[[', ']]'],
  placeholder: ['[', ']'],
};

const MERMAID_ARROW: Record<string, string> = {
  backup: '-.->',
  dump: '-.->',
  'volume-backup': '-.->',
  replication: '-->',
  'logical-replication': '-->',
  tunnel: '==>',
  'first-touch': '-->',
  alerting: '-.->',
};

export function toMermaid(g: FlowGraph, t: Translate): string {
  const out: string[] = ['flowchart LR'];
  const regions: Array<[SiteGroup['region'], string]> = [
    ['internet', t('flow.internet')],
    ['kz', t('flow.kz')],
    ['abroad', t('flow.abroad')],
    ['unproven', t('flow.unproven')],
  ];
  for (const [region, label] of regions) {
    const inRegion = g.groups.filter((x) => x.region === region);
    if (inRegion.length === 0) continue;
    out.push(`  subgraph R_${region}[${mermaidText([label])}]`);
    inRegion.forEach((grp, i) => {
      const siteCluster = region === 'kz' || region === 'abroad';
      if (siteCluster) out.push(`    subgraph S_${region}_${i}[${mermaidText([grp.label.join(' · ')])}]`);
      for (const n of g.nodes.filter((x) => x.group === grp.id)) {
        const [open, close] = MERMAID_SHAPE[n.kind];
        out.push(`      ${n.id}${open}${mermaidText(n.label)}${close}`);
      }
      if (siteCluster) out.push('    end');
    });
    out.push('  end');
  }
  const red: number[] = [];
  g.edges.forEach((e, i) => {
    out.push(`  ${e.from} ${MERMAID_ARROW[e.kind] ?? '-->'}|${mermaidText(e.label)}| ${e.to}`);
    if (e.violation) red.push(i);
  });
  const bad = g.nodes.filter((n) => n.violation).map((n) => n.id);
  out.push(`  classDef violation stroke:${RED},stroke-width:3px,color:${RED}`);
  if (bad.length > 0) out.push(`  class ${bad.join(',')} violation`);
  if (red.length > 0) out.push(`  linkStyle ${red.join(',')} stroke:${RED},stroke-width:3px,color:${RED}`);
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// SVG
// ---------------------------------------------------------------------------------------------

/** Lays the DOT out with Graphviz (WebAssembly) and returns the SVG document. */
export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg' });
  if (result.status !== 'success') {
    throw new Error(`Graphviz could not lay out the data-flow picture: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  return result.output;
}

/** The SVG without its XML prolog and DOCTYPE, for inlining into HTML. */
export function inlineSvg(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '').replace(/<!DOCTYPE[^>]*>\s*/, '').replace(/<!--[\s\S]*?-->\s*/g, '');
}
