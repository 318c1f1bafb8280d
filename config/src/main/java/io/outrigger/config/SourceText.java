package io.outrigger.config;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.outrigger.api.validation.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a config file as strict UTF-8, turning every failure into a {@link ConfigException}. */
final class SourceText {
  private SourceText() {}

  static String read(Path file, String source) throws ConfigException {
    try {
      return UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (NoSuchFileException e) {
      throw new ConfigException(source, "", "no such file");
    } catch (CharacterCodingException e) {
      throw new ConfigException(source, "", "not UTF-8 text (expected: a YAML file)");
    } catch (IOException e) {
      throw new ConfigException(source, "", "cannot read: " + e.getMessage());
    }
  }
}
