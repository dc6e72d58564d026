package com.runwayrelay.domain.memory;

import com.runwayrelay.domain.app.App;
import com.runwayrelay.domain.app.AppRepository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link AppRepository} in maps, with the same conditional semantics as the DynamoDB one. */
public final class InMemoryAppRepository implements AppRepository {
    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final Map<String, String> appIdByKeyHash = new ConcurrentHashMap<>();

    @Override
    public synchronized void create(App app, String keyHash) {
        if (apps.containsKey(app.id()) || appIdByKeyHash.containsKey(keyHash)) {
            throw new IllegalStateException("app " + app.id() + " or its key already exists");
        }
        apps.put(app.id(), app);
        appIdByKeyHash.put(keyHash, app.id());
    }

    @Override
    public Optional<App> findByKeyHash(String keyHash) {
        String appId = appIdByKeyHash.get(keyHash);
        return appId == null ? Optional.empty() : find(appId);
    }

    @Override
    public Optional<App> find(String appId) {
        return Optional.ofNullable(apps.get(appId));
    }

    @Override
    public List<App> list() {
        return apps.values().stream().sorted(Comparator.comparing(App::createdAt)).toList();
    }

    @Override
    public synchronized void addKey(String appId, String keyHash) {
        if (!apps.containsKey(appId)) {
            throw new IllegalArgumentException("no app " + appId);
        }
        if (appIdByKeyHash.putIfAbsent(keyHash, appId) != null) {
            throw new IllegalStateException("key already exists");
        }
    }

    @Override
    public boolean revokeKey(String keyHash) {
        return appIdByKeyHash.remove(keyHash) != null;
    }

    @Override
    public List<String> keyHashes(String appId) {
        return appIdByKeyHash.entrySet().stream().filter(e -> e.getValue().equals(appId)).map(Map.Entry::getKey)
                .sorted().toList();
    }

    @Override
    public synchronized boolean replace(App current, App next) {
        App stored = apps.get(current.id());
        if (stored == null || stored.version() != current.version() || next.version() != current.version() + 1) {
            return false;
        }
        apps.put(next.id(), next);
        return true;
    }

    @Override
    public synchronized Optional<List<String>> delete(App current) {
        App stored = apps.get(current.id());
        if (stored == null || stored.version() != current.version()) {
            return Optional.empty();
        }
        apps.remove(current.id());
        List<String> revoked = new ArrayList<>();
        for (String keyHash : List.copyOf(appIdByKeyHash.keySet())) {
            // Only the keys this call removes count: revokeKey is not synchronized and may take one first.
            if (appIdByKeyHash.remove(keyHash, current.id())) {
                revoked.add(keyHash);
            }
        }
        return Optional.of(revoked.stream().sorted().toList());
    }
}
