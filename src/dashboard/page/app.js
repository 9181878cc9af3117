// The dashboard page: follows /api/stream (Server-Sent Events) and draws what
// it sends. Plain JavaScript, no build step; uPlot (a global from /uplot.js)
// draws the charts. Every text from the server goes in through textContent,
// never as HTML: release ids and service names are users' text.

/* global uPlot */

const $ = (id) => document.getElementById(id);

/** An element with a class and a text, children appended. */
function el(tag, className, text, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const child of children) node.append(child);
  return node;
}

function duration(ms) {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

// Times are UTC throughout (the charts too), as the CLI prints them.
const clock = (iso) => (iso ? new Date(iso).toISOString().slice(11, 19) : '');

// The release shown: the one in the address (#release=<id>), else the newest running, else the newest.
let chosen = new URLSearchParams(location.hash.slice(1)).get('release');
let shown;
let source;

function follow(releaseId) {
  if (source && releaseId === shown) return;
  source?.close();
  shown = releaseId;
  source = new EventSource(`/api/stream${releaseId ? `?release=${encodeURIComponent(releaseId)}` : ''}`);
  source.addEventListener('snapshot', (event) => render(JSON.parse(event.data)));
  source.addEventListener('problem', (event) => setConnection(`problem: ${JSON.parse(event.data).message}`, false));
  source.addEventListener('open', () => setConnection('live', true));
  source.addEventListener('error', () => setConnection('reconnecting…', false));
}

function setConnection(text, live) {
  const node = $('connection');
  node.textContent = text;
  node.classList.toggle('live', live);
}

function pick(lanes) {
  const releases = lanes.flatMap((lane) => lane.releases).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  if (chosen && releases.some((release) => release.id === chosen)) return chosen;
  return (releases.find((release) => release.outcome === 'RUNNING') ?? releases[0])?.id;
}

function render(snapshot) {
  setConnection('live', true);
  const wanted = pick(snapshot.releases);
  if (wanted !== shown) {
    follow(wanted);
    // The next snapshot (for the release wanted) draws the rest.
    renderTimeline(snapshot.releases);
    return;
  }
  renderTimeline(snapshot.releases);
  renderRelease(snapshot.release, snapshot.canary);
  renderKeys(snapshot.keys);
  renderAlarms(snapshot.alarms);
}

function renderTimeline(lanes) {
  const root = $('timeline');
  if (lanes.length === 0) {
    root.replaceChildren(el('p', 'empty', 'no releases yet'));
    return;
  }
  root.replaceChildren(
    ...lanes.map((lane) => {
      const items = lane.releases.map((release) => {
        const button = el(
          'button',
          release.id === shown ? 'selected' : '',
          undefined,
          el('span', 'image', `${release.image} · ${clock(release.startedAt)}`),
          el('span', `outcome ${release.outcome}`, release.outcome),
        );
        button.title = release.id;
        button.dataset.release = release.id;
        button.addEventListener('click', () => {
          chosen = release.id;
          location.hash = `release=${encodeURIComponent(release.id)}`;
          follow(release.id);
        });
        return el('li', '', undefined, button);
      });
      return el(
        'div',
        'lane',
        undefined,
        el('div', 'lane-name', `${lane.service} / ${lane.environment}`),
        el('ul', '', undefined, ...items),
      );
    }),
  );
}

function renderRelease(release, canary) {
  if (!release) {
    $('release-title').textContent = 'No release selected';
    $('release-summary').textContent = '';
    $('states').tBodies[0].replaceChildren();
    $('analyses').replaceChildren();
    drawCharts(undefined);
    return;
  }
  const title = $('release-title');
  title.replaceChildren(
    el('span', '', `${release.service} / ${release.environment} · ${release.image} `),
    el('span', `outcome ${release.outcome}`, release.outcome),
  );
  $('release-summary').textContent =
    `${release.id} · started ${clock(release.startedAt)} · ${duration(release.durationMs)}` +
    (release.reason ? ` · ${release.reason}` : '');
  const longest = Math.max(1, ...release.stateTotals.map((state) => state.durationMs));
  $('states').tBodies[0].replaceChildren(
    ...release.stateTotals.map((state) => {
      const bar = el('div', 'bar');
      bar.style.width = `${(state.durationMs / longest) * 100}%`;
      const row = el(
        'tr',
        state.current ? 'current' : '',
        undefined,
        el('td', 'state', state.name),
        el('td', 'entries', state.entries > 1 ? `×${state.entries}` : ''),
        el('td', 'duration', duration(state.durationMs)),
        el('td', 'bar-cell', undefined, bar),
      );
      return row;
    }),
  );
  $('analyses').replaceChildren(
    ...release.analysisRows.map((analysis) => {
      const item = el(
        'li',
        '',
        undefined,
        el('span', 'at', `${clock(analysis.at)} `),
        el('span', `verdict ${analysis.verdict}`, analysis.verdict),
        el('span', 'decision', analysis.decision ? ` → ${analysis.decision}` : ''),
        analysis.productionWeight === undefined ? '' : el('span', 'weight', ` at ${analysis.productionWeight}%`),
        el('div', 'reason', analysis.reason),
      );
      item.dataset.analysis = String(analysis.n);
      item.dataset.verdict = analysis.verdict;
      return item;
    }),
  );
  drawCharts(canary);
}

const charts = {};
// The verdict of each analysis, for the charts' marks (set before each draw).
let verdicts = [];
const VERDICT_COLOURS = { pass: '#1a7f37', fail: '#8c0a1f' };

/** A uPlot plugin: each analysis's verdict as a coloured mark along the top of the plot, at its window's end. */
const verdictMarks = {
  hooks: {
    draw: [
      (u) => {
        const { ctx } = u;
        const top = u.bbox.top;
        const size = 5 * devicePixelRatio;
        ctx.save();
        verdicts.forEach((verdict, index) => {
          const time = u.data[0][index];
          if (time === undefined) return;
          const x = u.valToPos(time, 'x', true);
          ctx.fillStyle = VERDICT_COLOURS[verdict] ?? '#9a6700';
          ctx.beginPath();
          ctx.moveTo(x - size, top);
          ctx.lineTo(x + size, top);
          ctx.lineTo(x, top + size * 1.6);
          ctx.closePath();
          ctx.fill();
        });
        ctx.restore();
      },
    ],
  },
};

function drawCharts(canary) {
  const empty = !canary || canary.times.length === 0;
  verdicts = canary ? canary.verdicts.map((row) => row.verdict) : [];
  $('charts-empty').hidden = !empty;
  draw('chart-errors', '%', canary ? [canary.times, canary.errorRate.canary, canary.errorRate.baseline] : [[], [], []]);
  draw(
    'chart-latency',
    'ms',
    canary ? [canary.times, canary.latencyMs.canary, canary.latencyMs.baseline] : [[], [], []],
  );
}

function draw(id, unit, data) {
  const root = $(id);
  const width = Math.max(240, root.clientWidth || 320);
  const existing = charts[id];
  if (existing && existing.width === width) {
    existing.chart.setData(data);
    return;
  }
  existing?.chart.destroy();
  const value = (_, v) => (v === null || v === undefined ? '–' : `${Number(v.toPrecision(3))} ${unit}`);
  const chart = new uPlot(
    {
      width,
      height: 200,
      scales: { x: { time: true } },
      // UTC, as every other time on the page.
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
      series: [
        {},
        { label: 'canary', stroke: '#cf222e', width: 2, points: { size: 6 }, value },
        { label: 'baseline', stroke: '#0969da', width: 2, points: { size: 6 }, value },
      ],
      axes: [{}, { size: 50 }],
      plugins: [verdictMarks],
    },
    data,
    root,
  );
  charts[id] = { chart, width };
}

function renderKeys(keys) {
  const root = $('keys');
  if (!keys?.available) {
    root.replaceChildren(el('p', 'empty not-available', `Not available: ${keys?.reason ?? 'no data'}`));
    return;
  }
  if (keys.targets.length === 0) {
    root.replaceChildren(el('p', 'empty', `no releases ended in the last ${keys.days} days`));
    return;
  }
  const pairs = (row) => [
    ['Deployment frequency', row.deploymentFrequency],
    ['Lead time for changes', row.leadTime],
    ['Change failure rate', row.changeFailureRate],
    ['Time to restore', row.timeToRestore],
  ];
  root.replaceChildren(
    el('p', 'reason', `last ${keys.days} days, from the release records`),
    ...keys.targets.map((row) => {
      const block = el(
        'div',
        'keys-target',
        undefined,
        el('div', 'lane-name', `${row.service} / ${row.environment} · ${row.deployments} deployments`),
        el(
          'dl',
          'keys',
          undefined,
          ...pairs(row).flatMap(([name, value]) => [el('dt', '', name), el('dd', '', value)]),
        ),
      );
      block.dataset.target = `${row.service}/${row.environment}`;
      return block;
    }),
  );
}

function renderAlarms(alarms) {
  const root = $('alarms');
  if (alarms.length === 0) {
    root.replaceChildren(el('li', 'empty', 'no alarms (CloudWatch DescribeAlarms returned none)'));
    return;
  }
  root.replaceChildren(
    ...alarms.map((alarm) => {
      const item = el(
        'li',
        '',
        undefined,
        el('span', `alarm-state ${alarm.state}`, alarm.state),
        el('span', '', ` ${alarm.name}`),
      );
      if (alarm.reason) item.title = alarm.reason;
      return item;
    }),
  );
}

follow(chosen ?? undefined);
