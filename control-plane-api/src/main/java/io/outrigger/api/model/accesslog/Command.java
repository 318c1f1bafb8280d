package io.outrigger.api.model.accesslog;

import java.util.Optional;

/** The command operators Outrigger supports, with Envoy's syntax rules for each. */
public enum Command {
  START_TIME(Syntax.COMMAND_ONLY),
  REQ(Syntax.HEADER),
  RESP(Syntax.HEADER),
  PROTOCOL(Syntax.COMMAND_ONLY),
  RESPONSE_CODE(Syntax.COMMAND_ONLY),
  RESPONSE_FLAGS(Syntax.COMMAND_ONLY),
  RESPONSE_CODE_DETAILS(Syntax.COMMAND_ONLY),
  BYTES_RECEIVED(Syntax.COMMAND_ONLY),
  BYTES_SENT(Syntax.COMMAND_ONLY),
  DURATION(Syntax.COMMAND_ONLY),
  UPSTREAM_HOST(Syntax.COMMAND_ONLY),
  UPSTREAM_CLUSTER(Syntax.COMMAND_ONLY),
  DOWNSTREAM_REMOTE_ADDRESS(Syntax.COMMAND_ONLY),
  UPSTREAM_REQUEST_ATTEMPT_COUNT(Syntax.COMMAND_ONLY),
  TRACE_ID(Syntax.COMMAND_ONLY),
  DOWNSTREAM_PEER_URI_SAN(Syntax.COMMAND_ONLY);

  /** What may follow the command's name. */
  enum Syntax {
    /** Neither a parameter nor a length: {@code %DURATION%}. */
    COMMAND_ONLY,
    /** A header name, one {@code ?alternative} and a max length: {@code %REQ(X?Y):10%}. */
    HEADER
  }

  private final Syntax syntax;

  Command(Syntax syntax) {
    this.syntax = syntax;
  }

  Syntax syntax() {
    return syntax;
  }

  /** The command of that name, if Outrigger supports it. */
  static Optional<Command> named(String name) {
    for (Command c : values()) {
      if (c.name().equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
