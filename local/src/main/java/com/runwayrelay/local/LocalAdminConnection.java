package com.runwayrelay.local;

import com.runwayrelay.local.admin.AdminClient;
import com.runwayrelay.local.admin.AdminUsageException;
import com.runwayrelay.local.admin.Targets;
import com.runwayrelay.local.console.AdminConnection;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The admin API of whichever local stack holds the data folder at the moment of each call: the console may be
 * started before the stack, and keeps working when the stack is restarted (which writes new credentials into
 * its {@code stack.json}).
 */
final class LocalAdminConnection implements AdminConnection {
    private final Path dataDir;
    private final String folder;
    private StackFile.Running current;
    private AdminClient client;

    LocalAdminConnection(Path dataDir) {
        this.dataDir = dataDir;
        this.folder = dataDir.toAbsolutePath().normalize().toString();
    }

    @Override
    public synchronized AdminClient client() {
        Optional<StackFile.Running> running;
        try {
            running = DataDirectory.inUse(dataDir) ? StackFile.read(dataDir.resolve(StackFile.NAME)) : Optional.empty();
        } catch (UncheckedIOException e) {
            throw new Unavailable(e.getMessage());
        }
        if (running.isEmpty()) {
            current = null;
            client = null;
            throw new Unavailable("no local stack is running on " + folder + ": start one with ./relay local (the console"
                    + " follows it), or start the console with --url URL or --stack NAME");
        }
        if (!running.get().equals(current)) {
            try {
                client = AdminClient.of(Targets.local(running.get().apiUrl(), running.get().environment(), folder));
            } catch (AdminUsageException e) {
                throw new Unavailable(e.getMessage());
            }
            current = running.get();
        }
        return client;
    }

    @Override
    public String description() {
        return "the local stack on " + folder;
    }
}
