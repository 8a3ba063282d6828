import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SearchResponse } from '../../search/types.js';
import { count, dateTime, duration } from './format.js';

interface Props {
  histogram: SearchResponse['histogram'];
  /** Called with a dragged selection (epoch ms). */
  onZoom: (from: number, to: number) => void;
}

/** Events over time as bars (errors in red on top of all events); drag to zoom into a range. */
export function Histogram({ histogram, onZoom }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoom = useRef(onZoom);
  zoom.current = onZoom;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = histogram.buckets.map((b) => b.start / 1000);
    const data: uPlot.AlignedData = [
      xs,
      histogram.buckets.map((b) => b.count),
      histogram.buckets.map((b) => b.errors),
    ];
    const bars = uPlot.paths.bars?.({ size: [0.8, 40], align: 1 });
    const opts: uPlot.Options = {
      width: el.clientWidth || 800,
      height: 120,
      padding: [8, 8, 0, 0],
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      scales: {
        x: { time: true, range: [histogram.from / 1000, histogram.to / 1000] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
      },
      axes: [
        { stroke: '#8b93a7', grid: { show: false }, ticks: { stroke: '#2a3142' }, font: '11px system-ui' },
        {
          stroke: '#8b93a7',
          grid: { stroke: '#222a3a' },
          ticks: { show: false },
          size: 44,
          font: '11px system-ui',
        },
      ],
      series: [
        {},
        {
          label: 'events',
          fill: 'rgba(96,165,250,0.55)',
          stroke: '#60a5fa',
          width: 0,
          paths: bars,
          points: { show: false },
        },
        {
          label: 'errors',
          fill: 'rgba(248,113,113,0.9)',
          stroke: '#f87171',
          width: 0,
          paths: bars,
          points: { show: false },
        },
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 3) return;
            const a = u.posToVal(u.select.left, 'x') * 1000;
            const b = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoom.current(Math.floor(a), Math.ceil(b));
          },
        ],
      },
    };
    plot.current?.destroy();
    plot.current = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height: 120 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [histogram]);

  const total = histogram.buckets.reduce((n, b) => n + b.count, 0);
  const errors = histogram.buckets.reduce((n, b) => n + b.errors, 0);
  return (
    <section class="histogram" aria-label="Events over time">
      <div class="histogram-head">
        <span>
          <b>{count(total)}</b> events · <span class="err-text">{count(errors)} errors</span>
        </span>
        <span class="muted">
          {dateTime(histogram.from)} → {dateTime(histogram.to)} · {duration(histogram.intervalMs)} buckets ·
          drag to zoom
        </span>
      </div>
      <div ref={box} class="chart" data-testid="histogram" />
    </section>
  );
}
