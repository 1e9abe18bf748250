package io.cmsync.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The archive file of flagged contacts, {@code <paths.archive-dir>/flagged_archive.jsonl}: one JSON line per contact
 * archived or deleted, appended, flushed and forced to disk before anything changes in Copper or Mailchimp.
 */
public final class ArchiveFile {
    public static final String FILE_NAME = "flagged_archive.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;

    public ArchiveFile(Path directory) {
        this.directory = directory;
    }

    public Path path() {
        return directory.resolve(FILE_NAME);
    }

    /**
     * Appends one record as one line and forces it to the disk. Any failure (directory cannot be created, file not
     * writable, disk full) is an IOException: the caller must then change nothing.
     */
    public synchronized void append(JsonNode record) throws IOException {
        byte[] line = (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
        io.cmsync.config.PrivateFiles.directory(directory);
        try (FileChannel ch = FileChannel.open(path(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        io.cmsync.config.PrivateFiles.file(path());
    }
}
