/** The file types offered by the picker (the worker decides what it can decode). */
export const VIDEO_ACCEPT = 'video/mp4,video/webm,video/quicktime,.mp4,.m4v,.webm,.mov,.mkv';

/** Whether a dropped or picked file is a video rather than a picture. */
export function isVideoFile(file: File): boolean {
  return file.type.startsWith('video/') || /\.(mp4|m4v|webm|mov|mkv)$/i.test(file.name);
}
