package com.runwayrelay.testkit.aws.internal;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;

/**
 * Logback's configuration when the application has none: WARN and above to stderr.
 *
 * <p>s3proxy brings Logback onto every classpath that uses the emulators, and Logback's own
 * fallback logs everything at DEBUG, which buries test output under SDK and Jetty chatter.
 * Registered as a {@link Configurator} service, this runs before Logback's file lookup and
 * steps aside whenever the application configures Logback itself ({@code logback-test.xml} or
 * {@code logback.xml} on the classpath, or the {@code logback.configurationFile} property), so
 * it never competes with a real configuration the way a {@code logback.xml} in this jar would.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class EmulatorLogDefaults extends ContextAwareBase implements Configurator {

    /** Called by Logback's service loader. */
    public EmulatorLogDefaults() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (applicationConfiguresLogback()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n");
        encoder.start();

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("stderr");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static boolean applicationConfiguresLogback() {
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
            return true;
        }
        ClassLoader loader = EmulatorLogDefaults.class.getClassLoader();
        return List.of(ClassicConstants.TEST_AUTOCONFIG_FILE, ClassicConstants.AUTOCONFIG_FILE).stream()
                .anyMatch(resource -> loader.getResource(resource) != null);
    }
}
