package com.runwayrelay.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator standalone: {@code java -cp … com.runwayrelay.simulator.RunwaySimulatorMain [settings.properties]}.
 * Settings come from an optional properties file with {@code RUNWAY_SIM_*} keys, overridden by the
 * environment. Prints {@code RUNWAYML_BASE_URL=…} and {@code RUNWAYML_API_SECRET=…} on stdout, then
 * serves until the process is stopped.
 */
public final class RunwaySimulatorMain {
    private RunwaySimulatorMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        // Idle connections are kept longer than a JDK HttpClient keeps them pooled (30 s), so the
        // simulator never closes one a client is about to reuse; set before any server starts.
        if (System.getProperty(RunwaySimulator.IDLE_INTERVAL_PROPERTY) == null) {
            System.setProperty(RunwaySimulator.IDLE_INTERVAL_PROPERTY, Long.toString(RunwaySimulator.IDLE_INTERVAL_SECONDS));
        }
        Map<String, String> settings = new HashMap<>();
        if (args.length > 0) {
            Properties file = new Properties();
            try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
                file.load(in);
            }
            file.stringPropertyNames().forEach(name -> settings.put(name, file.getProperty(name)));
        }
        settings.putAll(System.getenv());
        SimulatorConfig config;
        try {
            config = SimulatorConfig.fromEnv(settings);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        RunwaySimulator sim = RunwaySimulator.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }));
        System.out.println("RUNWAYML_BASE_URL=" + sim.baseUri());
        // The key is printed on purpose: it is a throw-away key for a local simulator, not a secret.
        System.out.println("RUNWAYML_API_SECRET=" + sim.apiKey());
        System.out.flush();
        stopped.await();
    }
}
