package io.outrigger.api.model.tls;

/** The TLS protocol versions Outrigger speaks; TLS 1.0 and 1.1 are refused at validation. */
public enum TlsVersion {
  TLS_1_2("TLSv1.2"),
  TLS_1_3("TLSv1.3");

  private final String javaName;

  TlsVersion(String javaName) {
    this.javaName = javaName;
  }

  /** The JSSE protocol name, e.g. {@code TLSv1.3}. */
  public String javaName() {
    return javaName;
  }
}
