/**
 * Images dropped on `target` (the whole page for the full-page app, only the element when embedded) or pasted
 * from the clipboard while it has focus. Returns a function that stops listening.
 */
export function listenForFiles(onFile: (file: File, name: string) => void, target: EventTarget = window): () => void {
  const onDragOver = (e: DragEvent) => e.preventDefault();
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const file = e.dataTransfer?.files[0];
    if (file) onFile(file, file.name);
  };
  const onPaste = (e: ClipboardEvent) => {
    const file = [...(e.clipboardData?.items ?? [])].find((i) => i.kind === 'file')?.getAsFile();
    if (file) onFile(file, 'pasted image');
  };
  target.addEventListener('dragover', onDragOver as EventListener);
  target.addEventListener('drop', onDrop as EventListener);
  target.addEventListener('paste', onPaste as EventListener);
  return () => {
    target.removeEventListener('dragover', onDragOver as EventListener);
    target.removeEventListener('drop', onDrop as EventListener);
    target.removeEventListener('paste', onPaste as EventListener);
  };
}
