package io.outrigger.api.model.http;

/** {@code HeaderValueOption.HeaderAppendAction}: what adding a header does when it exists. */
public enum HeaderAppendAction {
  /** Add another value; Envoy's default (and {@code append: true}). */
  APPEND_IF_EXISTS_OR_ADD,
  /** Add only when the header is absent. */
  ADD_IF_ABSENT,
  /** Replace every existing value, or add ({@code append: false}). */
  OVERWRITE_IF_EXISTS_OR_ADD,
  /** Replace every existing value; do nothing when the header is absent. */
  OVERWRITE_IF_EXISTS
}
