/**
 * The picture judges. `npm run quality` (or `-- style`): style transfer's photo × painting pairs (quality-style.ts).
 * `npm run quality -- stream`: long DeepDream zoom streams, first frame against last quarter (quality-stream.ts).
 */
const JUDGES = { style: './quality-style', stream: './quality-stream' } as const;
type Judge = keyof typeof JUDGES;

const asked = process.argv[2];
const judge: Judge = asked === 'stream' || asked === 'style' ? asked : 'style';
// The judge reads its own flags from process.argv: drop the subcommand so its parser sees only them.
if (asked === judge) process.argv.splice(2, 1);
await import(JUDGES[judge]);

export {};
