import { useEffect, useState } from 'preact/hooks';
import { fieldClause } from '../../search/query-print.js';
import type { ServiceMap } from '../../search/service-map.js';
import { api } from './api.js';
import { count, serviceColor } from './format.js';
import { timeRange } from './route.js';

const COL = 210;
const ROW = 64;
const BOX_W = 150;
const BOX_H = 40;

/** Column of each service: the longest call path from an entry service to it (cycles cut). */
function layers(map: ServiceMap): Map<string, number> {
  const layer = new Map(map.nodes.map((n) => [n.service, 0]));
  for (let round = 0; round < map.nodes.length; round++) {
    let changed = false;
    for (const e of map.edges) {
      const next = (layer.get(e.from) ?? 0) + 1;
      if (e.from !== e.to && next > (layer.get(e.to) ?? 0) && next < map.nodes.length) {
        layer.set(e.to, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return layer;
}

const pct = (r: number): string => `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)} %`;

/**
 * The service map of the search's time range (`/api/services`): services in columns by call
 * depth, arrows for calls with their count and error rate; a click on a service filters on it.
 * Loaded when the panel is opened, and again when the route's range changes.
 */
export function ServiceMapPanel({
  range,
  from,
  to,
  onPick,
}: {
  /** The route's range (a preset or `custom`) and its bounds, resolved against now when loading. */
  range: string;
  from?: number;
  to?: number;
  onPick: (clause: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [map, setMap] = useState<ServiceMap | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (!open) return;
    let live = true;
    api.services(timeRange({ range, from, to, q: '' })).then(
      (m) => {
        if (live) {
          setMap(m);
          setError(undefined);
        }
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [open, range, from, to]);

  return (
    <details
      class="panel service-map"
      data-testid="service-map"
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>
        Service map
        {map && open ? (
          <span class="muted">
            {' '}
            · from {count(map.transactions)} transactions{map.sampled ? ' (the newest)' : ''}
          </span>
        ) : null}
      </summary>
      {error ? <div class="error-box">{error}</div> : null}
      {open && map ? <Graph map={map} onPick={onPick} /> : null}
    </details>
  );
}

function Graph({ map, onPick }: { map: ServiceMap; onPick: (clause: string) => void }) {
  if (map.nodes.length === 0) return <p class="muted">No transactions in this time range.</p>;
  const layer = layers(map);
  const rows = new Map<number, string[]>();
  for (const n of map.nodes) {
    const l = layer.get(n.service) ?? 0;
    rows.set(l, [...(rows.get(l) ?? []), n.service]);
  }
  const pos = new Map<string, { x: number; y: number }>();
  for (const [l, names] of rows)
    names.forEach((s, i) => {
      pos.set(s, { x: 10 + l * COL, y: 10 + i * ROW });
    });
  const width = 20 + Math.max(...rows.keys()) * COL + BOX_W;
  const height = 20 + Math.max(...[...rows.values()].map((r) => r.length)) * ROW;
  return (
    <div class="map" style={{ width: `${width}px`, height: `${height}px` }}>
      <svg class="map-svg" width={width} height={height} role="img" aria-label="Service map calls">
        <defs>
          <marker
            id="map-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" fill="#8b93a7" />
          </marker>
        </defs>
        {map.edges.map((e) => {
          const a = pos.get(e.from);
          const b = pos.get(e.to);
          if (!a || !b) return null;
          const x1 = a.x + BOX_W;
          const y1 = a.y + BOX_H / 2;
          const x2 = b.x;
          const y2 = b.y + BOX_H / 2;
          const back = x2 <= x1;
          const d = back
            ? `M${a.x + BOX_W / 2},${a.y + BOX_H} C${a.x + BOX_W / 2},${a.y + BOX_H + 40} ${b.x + BOX_W / 2},${b.y + BOX_H + 40} ${b.x + BOX_W / 2},${b.y + BOX_H}`
            : `M${x1},${y1} C${x1 + 40},${y1} ${x2 - 40},${y2} ${x2},${y2}`;
          const mx = back ? (a.x + b.x) / 2 + BOX_W / 2 : (x1 + x2) / 2;
          const my = back ? Math.max(a.y, b.y) + BOX_H + 30 : (y1 + y2) / 2 - 4;
          return (
            <g key={`${e.from}>${e.to}`} data-testid="map-edge" data-from={e.from} data-to={e.to}>
              <path
                d={d}
                class={e.errors ? 'map-edge map-edge-err' : 'map-edge'}
                marker-end="url(#map-arrow)"
              />
              <text x={mx} y={my} class="map-label" text-anchor="middle">
                {count(e.calls)}
                {e.errors ? ` · ${pct(e.errorRate)} err` : ''}
              </text>
              <title>
                {`${e.from} → ${e.to}: ${e.calls} calls, ${e.errors} with an error in ${e.to} (${pct(e.errorRate)})`}
              </title>
            </g>
          );
        })}
      </svg>
      {map.nodes.map((n) => {
        const p = pos.get(n.service)!;
        return (
          <button
            type="button"
            key={n.service}
            class="map-node"
            data-testid="map-node"
            data-service={n.service}
            style={{
              left: `${p.x}px`,
              top: `${p.y}px`,
              width: `${BOX_W}px`,
              height: `${BOX_H}px`,
              borderColor: serviceColor(n.service),
            }}
            title={`${n.service}: in ${n.transactions} transactions (${n.entry} started there), an error in ${n.errorTransactions}. Click to filter on it.`}
            onClick={() => onPick(fieldClause('service.name', n.service))}
          >
            <span class="map-name">{n.service}</span>
            <span class={n.errorTransactions ? 'map-stat map-stat-err' : 'map-stat'}>
              {count(n.transactions)} tx · {pct(n.errorRate)} err
            </span>
          </button>
        );
      })}
    </div>
  );
}
