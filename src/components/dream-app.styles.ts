import { css } from 'lit';

/** Layout of the app shell: the stage, the overlays on it, the panel's place; kiosk and embedded variants. */
export const appStyles = css`
  :host {
    /* The host page may restyle the host (display, size): the layout lives on .shell inside, so it holds. */
    display: block;
    height: 100vh;
    height: 100dvh;
    background: #000;
    color: #eee;
    font: 13px/1.4 system-ui, sans-serif;
  }
  :host(dream-stream) {
    height: auto;
    aspect-ratio: 16 / 10;
  }
  .shell {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    grid-template-rows: minmax(0, 1fr);
    width: 100%;
    height: 100%;
    /* An inline host (or one given no height) still shows a picture. */
    min-height: 180px;
  }
  dream-stage {
    min-width: 0;
    min-height: 180px;
  }
  .sheet-toggle {
    display: none;
    position: absolute;
    top: 8px;
    right: 8px;
    z-index: 2;
    background: rgba(20, 20, 20, 0.8);
    padding: 6px 10px;
    font-size: 13px;
  }
  /* Phone-sized: the stage takes the width, the controls become a bottom sheet behind a button. */
  :host([narrow]) .shell {
    grid-template-columns: minmax(0, 1fr);
    grid-template-rows: minmax(0, 1fr) auto;
  }
  /* Open, the sheet and the stage share the height; the sheet scrolls. */
  :host([narrow]) .shell.sheet-open {
    grid-template-rows: minmax(0, 1fr) minmax(0, 1fr);
  }
  :host([narrow]) aside {
    width: auto;
    border-left: 0;
    border-top: 1px solid #2a2a2a;
  }
  :host([narrow]) .sheet-toggle {
    display: block;
  }
  .overlay {
    position: absolute;
    top: 8px;
    left: 8px;
    display: flex;
    flex-direction: column;
    gap: 4px;
    pointer-events: none;
  }
  .overlay[hidden] {
    display: none;
  }
  /* A phone's stage is small: the figures shrink to one line and the backend's note gives its room to the picture. */
  .overlay.compact .backend-note {
    display: none;
  }
  .backend-note {
    background: rgba(0, 0, 0, 0.55);
    padding: 2px 6px;
    border-radius: 4px;
    font-size: 11px;
    max-width: 40ch;
  }
  aside {
    width: 320px;
    overflow-y: auto;
    background: #141414;
    border-left: 1px solid #2a2a2a;
    padding: 8px;
    box-sizing: border-box;
  }
  aside[hidden] {
    display: none;
  }
  :host([kiosk]) {
    cursor: none;
  }
  :host([kiosk]) aside,
  :host([kiosk]) .overlay {
    display: none;
  }
`;
