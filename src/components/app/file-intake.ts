/**
 * Images dropped anywhere on the page or pasted from the clipboard. Returns a function that stops listening.
 */
export function listenForFiles(onFile: (file: File, name: string) => void): () => void {
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
  window.addEventListener('dragover', onDragOver);
  window.addEventListener('drop', onDrop);
  window.addEventListener('paste', onPaste);
  return () => {
    window.removeEventListener('dragover', onDragOver);
    window.removeEventListener('drop', onDrop);
    window.removeEventListener('paste', onPaste);
  };
}
