package io.outrigger.controlplane.auth;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grants of the token file ({@link TokenFile}), read again by {@link #reload} when the file
 * changed, so that a token removed from it is refused from then on (revocation). A file that fails
 * to parse on reload keeps the grants in force, with the error in the log.
 *
 * <p>Thread-safe: lookups read a volatile map; {@link #reload} runs on the control plane's timer.
 */
public final class Tokens {
  private static final Logger log = LoggerFactory.getLogger(Tokens.class);

  private final Path file;
  private volatile Map<String, Grant> grants;
  private volatile String lastText;

  private Tokens(Path file, String text, Map<String, Grant> grants) {
    this.file = file;
    this.lastText = text;
    this.grants = grants;
  }

  /**
   * Reads {@code file}.
   *
   * @throws IOException when it cannot be read
   * @throws IllegalArgumentException naming the file and line of a bad line
   */
  public static Tokens load(Path file) throws IOException {
    requireNonNull(file, "file");
    String text = Files.readString(file);
    return new Tokens(file, text, TokenFile.parse(text, file.toString()));
  }

  /** Reads the file again if its text changed. Returns whether the grants changed. */
  public boolean reload() {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      log.error("token file {} unreadable, the tokens in force stay: {}", file, e.toString());
      return false;
    }
    if (text.equals(lastText)) {
      return false;
    }
    lastText = text;
    try {
      Map<String, Grant> next = TokenFile.parse(text, file.toString());
      int revoked = (int) grants.keySet().stream().filter(h -> !next.containsKey(h)).count();
      grants = next;
      log.info("token file {} read again: {} grants, {} revoked", file, next.size(), revoked);
      return true;
    } catch (IllegalArgumentException e) {
      log.error("token file refused, the tokens in force stay: {}", e.getMessage());
      return false;
    }
  }

  /** The grant of a token presented by a caller, if the file grants it. */
  public Optional<Grant> lookup(String token) {
    return Optional.ofNullable(grants.get(TokenFile.hash(token)));
  }

  /** Whether the token whose hash is {@code tokenHash} is still granted. */
  public boolean granted(String tokenHash) {
    return grants.containsKey(tokenHash);
  }

  /** The file. */
  public Path file() {
    return file;
  }
}
