// Callbacks for the life of an app's APNs connections, so a service can count them without this package
// depending on a metrics library.

export interface ApnsConnectionObserver {
  /**
   * A connection delivered the server's SETTINGS and can carry pushes. `reconnect` is true for every
   * connection after the provider's first one (the previous one was lost, drained after GOAWAY or replaced).
   */
  connected?(event: { reconnect: boolean }): void;
  /** A connection that had been established closed, for whatever reason. */
  disconnected?(): void;
  /** APNs sent GOAWAY on a connection, reported once per connection (`errorCode`: HTTP/2 error code, 0 = graceful). */
  goaway?(event: { errorCode: number }): void;
}
