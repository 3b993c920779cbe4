/** Lets queued messages (settings, camera frames, a cancel) run between frames, without setTimeout's 4 ms clamp. */
export function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}
