package io.outrigger.api.model.http;

/** {@code RedirectAction.RedirectResponseCode} and the status each one sends. */
public enum RedirectResponseCode {
  /** 301, Envoy's default. */
  MOVED_PERMANENTLY(301),
  FOUND(302),
  SEE_OTHER(303),
  TEMPORARY_REDIRECT(307),
  PERMANENT_REDIRECT(308);

  private final int status;

  RedirectResponseCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }
}
