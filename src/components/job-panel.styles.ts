import { css } from 'lit';

/** The job panels' one look (video file, zoom export, Render large): a folding box, a form grid, progress, results. */
export const jobPanelStyles = css`
  :host { display: block; margin: 6px 0; }
  details { border: 1px solid #2a2a2a; border-radius: 4px; padding: 4px 6px; }
  summary { cursor: pointer; color: #7fd1ff; }
  .grid { display: grid; grid-template-columns: auto 1fr; gap: 4px 8px; align-items: center; margin: 6px 0; }
  input, select, button { background: #222; color: #eee; border: 1px solid #444; border-radius: 4px; padding: 2px 5px; }
  input { width: 6em; }
  progress { width: 100%; }
  a { color: #7fd1ff; }
  ul { margin: 4px 0 0; padding-left: 18px; }
`;
