import { css } from 'lit';

/** The shell's buttons and menus: one look for the sheet toggle and the panel's own buttons. */
export const buttonStyles = css`
  select,
  button {
    background: #222;
    color: #eee;
    border: 1px solid #444;
    border-radius: 4px;
    padding: 3px 6px;
  }
`;
