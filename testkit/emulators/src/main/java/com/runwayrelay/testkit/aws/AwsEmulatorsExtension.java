package com.runwayrelay.testkit.aws;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that injects {@link AwsEmulators} into test constructors, test methods and
 * lifecycle methods ({@code @BeforeAll} included).
 *
 * <p>The emulators start on first use, in memory on free ports, and are shared by every test
 * class of the run: they live in the root context's store, which closes them (they are
 * {@link AutoCloseable}) when the run ends. Tests therefore see each other's data; use unique
 * keys, or call {@link AwsEmulators#resetData()} where a test needs an empty table and bucket.
 * Usually applied through {@link WithAwsEmulators}.
 */
public final class AwsEmulatorsExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AwsEmulatorsExtension.class);

    /** Called by JUnit. */
    public AwsEmulatorsExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == AwsEmulators.class;
    }

    @Override
    public AwsEmulators resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    /** The run's instance, started on the first call. */
    static AwsEmulators shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(AwsEmulators.class, type -> AwsEmulators.start(EmulatorOptions.inMemory()), AwsEmulators.class);
    }
}
