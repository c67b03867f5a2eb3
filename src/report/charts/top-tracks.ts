/** The closing chart of the workflow: each artist's top tracks by one feature, one group of bars per artist. */
import type { TopLevelSpec } from 'vega-lite';
import type { TopTrack } from '../report-data.js';

/**
 * Builds the top-tracks chart: one bar per track, under a bold label row per
 * artist. It is one view with one axis, because a facet per artist renders
 * about as slowly as that many charts. Rows are keyed by position, so equal
 * titles never merge, and the axis shows each key's label.
 */
export function topTracksSpec(tracks: TopTrack[], feature: string): TopLevelSpec {
  const values: { key: string; label: string; value: number; album: string; id: string }[] = [];
  const labels: Record<string, string> = {};
  let artist: string | undefined;
  for (const track of tracks) {
    if (track.artist !== artist) {
      // An empty row comes before each artist but the first, then a row with the artist's name. Neither has a bar.
      if (artist !== undefined) {
        const gap = `gap:${values.length}`;
        labels[gap] = '';
        values.push({ key: gap, label: '', value: 0, album: '', id: '' });
      }
      artist = track.artist;
      const header = `artist:${values.length}`;
      labels[header] = truncate(artist, 52);
      values.push({ key: header, label: artist, value: 0, album: '', id: '' });
    }
    const key = `track:${values.length}`;
    labels[key] = `${track.rank}. ${truncate(track.name, 52)}`;
    values.push({ key, label: `${track.artist}: ${track.rank}. ${track.name}`, value: track.value, album: track.album ?? '', id: track.id });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Each artist's top tracks by ${feature}`,
    params: [{ name: 'labels', value: labels }],
    data: { values },
    width: 420,
    height: { step: 16 },
    mark: { type: 'bar', color: '#4c78a8' },
    encoding: {
      y: {
        field: 'key',
        type: 'nominal',
        sort: null,
        axis: {
          title: null,
          labelExpr: 'labels[datum.value]',
          labelLimit: 300,
          labelFontWeight: { condition: { test: "indexof(datum.value, 'artist:') === 0", value: 'bold' }, value: 'normal' },
          labelFontSize: { condition: { test: "indexof(datum.value, 'artist:') === 0", value: 12 }, value: 11 },
          ticks: false,
        },
      },
      x: { field: 'value', type: 'quantitative', title: feature, scale: { domain: [0, 1] } },
      tooltip: [{ field: 'label' }, { field: 'album' }, { field: 'id' }, { field: 'value', format: '.3f' }],
    },
  } as TopLevelSpec;
}

function truncate(text: string, length: number): string {
  return text.length > length ? text.slice(0, length - 1) + '…' : text;
}
