package com.runwayrelay.testkit.aws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class EmulatorLogDefaultsTest {

    @Test
    void configure_setsRootToWarnWithConsole_whenApplicationHasNoConfig() {
        LoggerContext context = new LoggerContext();
        EmulatorLogDefaults defaults = new EmulatorLogDefaults();
        defaults.setContext(context);

        assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, defaults.configure(context));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.WARN, root.getLevel());
        assertNotNull(root.getAppender("stderr"));
    }

    @Test
    void configure_stepsAside_whenConfigurationFileIsNamed() {
        LoggerContext context = new LoggerContext();
        EmulatorLogDefaults defaults = new EmulatorLogDefaults();
        defaults.setContext(context);
        String previous = System.setProperty("logback.configurationFile", "somewhere/logback.xml");
        try {
            assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, defaults.configure(context));
            assertNull(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("stderr"));
        } finally {
            if (previous == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", previous);
            }
        }
    }

    @Test
    void serviceRegistration_makesThisJvmLogAtWarn() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.WARN, root.getLevel());
        assertNotNull(root.getAppender("stderr"));
    }
}
