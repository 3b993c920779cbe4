import { css } from 'lit';

/** Layout of the app shell: the stage, the overlays on it, the side panel; kiosk and embedded variants. */
export const appStyles = css`
  :host {
    display: grid;
    grid-template-columns: 1fr auto;
    height: 100vh;
    background: #000;
    color: #eee;
    font: 13px/1.4 system-ui, sans-serif;
  }
  dream-stage {
    min-width: 0;
    min-height: 0;
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
  .presets {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
    margin: 4px 0 8px;
  }
  .presets select {
    flex: 1 1 120px;
    min-width: 0;
  }
  select,
  button {
    background: #222;
    color: #eee;
    border: 1px solid #444;
    border-radius: 4px;
    padding: 3px 6px;
  }
  .import input {
    display: none;
  }
  .import {
    background: #222;
    border: 1px solid #444;
    border-radius: 4px;
    padding: 3px 6px;
    cursor: pointer;
  }
  :host(:not([controls])) {
    grid-template-columns: 1fr;
  }
  :host([kiosk]) {
    grid-template-columns: 1fr;
    cursor: none;
  }
  :host([kiosk]) aside,
  :host([kiosk]) .overlay {
    display: none;
  }
`;
