package com.runwayrelay.domain.archive.memory;

import com.runwayrelay.domain.contract.ArchiveStoreContract;
import java.util.List;
import java.util.Optional;

/** The {@link ArchiveStoreContract} on the fake (S3ArchiveStoreIT runs it on s3proxy). */
class InMemoryArchiveStoreTest extends ArchiveStoreContract<InMemoryArchiveStore> {
    @Override
    protected InMemoryArchiveStore openStore() {
        return new InMemoryArchiveStore();
    }

    @Override
    protected Optional<Stored> read(String key) {
        return store.object(key).map(o -> new Stored(o.contentType(), o.metadata(), o.bytes()));
    }

    @Override
    protected List<String> keysUnder(String keyPrefix) {
        return store.keys().stream().filter(k -> k.startsWith(keyPrefix)).toList();
    }
}
