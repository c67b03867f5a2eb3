/** The closing chart of the workflow: each artist's most danceable tracks, one row of bars per artist. */
import type { TopLevelSpec } from 'vega-lite';
import type { TopTrack } from '../report-data.js';

/** Builds the top-tracks chart. Bars are keyed by rank within the artist, so equal titles never merge. */
export function topTracksSpec(tracks: TopTrack[], feature: string): TopLevelSpec {
  const values = tracks.map((track) => ({
    artist: track.artist,
    label: `${track.rank}. ${truncate(track.name, 52)}`,
    value: track.value,
    id: track.id,
    album: track.album ?? '',
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Each artist's top tracks by ${feature}`,
    data: { values },
    facet: { row: { field: 'artist', type: 'nominal', sort: [...new Set(tracks.map((track) => track.artist))], header: { labelOrient: 'top', labelAnchor: 'start', labelAngle: 0, labelFontSize: 12, labelFontWeight: 'bold', labelPadding: 4, title: null } } },
    spec: {
      width: 420,
      mark: { type: 'bar', color: '#4c78a8' },
      encoding: {
        // A fixed axis width keeps the artist headers in one column although each row has its own labels.
        y: { field: 'label', type: 'nominal', sort: null, axis: { title: null, labelLimit: 300, minExtent: 310, maxExtent: 310 } },
        x: { field: 'value', type: 'quantitative', title: feature, scale: { domain: [0, 1] } },
        tooltip: [{ field: 'label' }, { field: 'album' }, { field: 'id' }, { field: 'value', format: '.3f' }],
      },
      height: { step: 16 },
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

function truncate(text: string, length: number): string {
  return text.length > length ? text.slice(0, length - 1) + '…' : text;
}
