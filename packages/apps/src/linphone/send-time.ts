// Linphone's `send-time`: Python's `datetime.now().strftime('%Y-%m-%d %H:%M:%S')`, in the server's local time zone.

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function linphoneSendTime(now: Date): string {
  const date = `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return `${date} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
}
