package com.runwayrelay.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One function of the template running in this JVM: the real handler class, wired by its own
 * composition root ({@code <Name>Function.fromEnvironment(Map)} handed to the handler's one-argument
 * constructor) with the locally resolved environment.
 *
 * <p>Like Lambda, an instance serves one invocation at a time; concurrent invocations get further
 * instances, each initialised anew, up to {@code maxInstances}, after which callers wait. The first
 * instance is built when the function is loaded, so configuration errors surface at start.
 *
 * @param <I> the event type
 * @param <O> the response type
 */
final class LocalFunction<I, O> {
    private final FunctionSpec spec;
    private final Supplier<RequestHandler<I, O>> factory;
    private final int maxInstances;
    private final Clock clock;
    private final StackLog log;
    private final Deque<RequestHandler<I, O>> idle = new ArrayDeque<>();
    private int instances;
    private int waiting;

    private LocalFunction(FunctionSpec spec, Supplier<RequestHandler<I, O>> factory, int maxInstances, Clock clock, StackLog log) {
        this.spec = spec;
        this.factory = factory;
        this.maxInstances = maxInstances;
        this.clock = clock;
        this.log = log;
    }

    /**
     * Loads the function's handler and builds its first instance.
     *
     * @throws FunctionLoadException naming the function when the handler does not follow the project's
     *     convention, handles other event types, or its initialisation fails (e.g. a configuration error)
     */
    static <I, O> LocalFunction<I, O> load(FunctionSpec spec, Map<String, String> env, Class<I> eventType, Class<O> responseType,
                                           int maxInstances, Clock clock, StackLog log) {
        Objects.requireNonNull(env, "env");
        if (maxInstances < 1) {
            throw new IllegalArgumentException("maxInstances must be at least 1");
        }
        Supplier<RequestHandler<I, O>> factory = factory(spec, Map.copyOf(env), eventType, responseType);
        LocalFunction<I, O> function = new LocalFunction<>(spec, factory, maxInstances, clock, log);
        RequestHandler<I, O> first = function.newInstance();
        synchronized (function) {
            function.instances = 1;
            function.idle.push(first);
        }
        return function;
    }

    /** The template's description of this function. */
    FunctionSpec spec() {
        return spec;
    }

    /**
     * Invokes the handler with a fresh {@link LocalContext} on an idle instance (a new one if all are busy
     * and fewer than the maximum exist). Whatever the handler throws is passed on unchanged.
     *
     * @throws InterruptedException if interrupted while waiting for an instance
     */
    O invoke(I event) throws InterruptedException {
        RequestHandler<I, O> handler = acquire();
        try {
            return handler.handleRequest(event, new LocalContext(spec, clock, log));
        } finally {
            release(handler);
        }
    }

    private RequestHandler<I, O> acquire() throws InterruptedException {
        synchronized (this) {
            while (idle.isEmpty() && instances >= maxInstances) {
                waiting++;
                try {
                    wait();
                } finally {
                    waiting--;
                }
            }
            if (!idle.isEmpty()) {
                return idle.pop();
            }
            instances++;
        }
        try {
            return newInstance();
        } catch (RuntimeException e) {
            synchronized (this) {
                instances--;
                notifyAll();
            }
            throw e;
        }
    }

    /** Callers waiting for an instance because all {@code maxInstances} are busy (tests look at it). */
    synchronized int waitingCallers() {
        return waiting;
    }

    private synchronized void release(RequestHandler<I, O> handler) {
        idle.push(handler);
        notifyAll();
    }

    private RequestHandler<I, O> newInstance() {
        try {
            return factory.get();
        } catch (FunctionLoadException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw new FunctionLoadException(spec.logicalId() + " failed to initialise: " + e.getMessage(), e);
        }
    }

    private static <I, O> Supplier<RequestHandler<I, O>> factory(FunctionSpec spec, Map<String, String> env,
                                                               Class<I> eventType, Class<O> responseType) {
        String id = spec.logicalId();
        Class<?> handlerClass;
        try {
            handlerClass = Class.forName(spec.handlerClass(), true, LocalFunction.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new FunctionLoadException(id + ": handler class " + spec.handlerClass() + " is not on the classpath", e);
        }
        requireTypes(id, handlerClass, eventType, responseType);
        String simpleName = handlerClass.getSimpleName();
        if (!simpleName.endsWith("Handler")) {
            throw new FunctionLoadException(id + ": handler class " + handlerClass.getName() + " does not end in Handler,"
                    + " so its composition root <Name>Function cannot be found");
        }
        String rootName = handlerClass.getPackageName() + "." + simpleName.substring(0, simpleName.length() - "Handler".length()) + "Function";
        Method fromEnvironment;
        try {
            fromEnvironment = Class.forName(rootName, true, handlerClass.getClassLoader()).getMethod("fromEnvironment", Map.class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new FunctionLoadException(id + ": " + rootName + ".fromEnvironment(Map) is missing", e);
        }
        if (!Modifier.isStatic(fromEnvironment.getModifiers())) {
            throw new FunctionLoadException(id + ": " + rootName + ".fromEnvironment(Map) is not static");
        }
        Constructor<?> constructor = null;
        for (Constructor<?> candidate : handlerClass.getConstructors()) {
            if (candidate.getParameterCount() == 1 && candidate.getParameterTypes()[0].isAssignableFrom(fromEnvironment.getReturnType())) {
                constructor = candidate;
            }
        }
        if (constructor == null) {
            throw new FunctionLoadException(id + ": " + handlerClass.getName() + " has no public constructor taking what "
                    + rootName + ".fromEnvironment returns (" + fromEnvironment.getReturnType().getName() + ")");
        }
        Constructor<?> chosen = constructor;
        return () -> {
            try {
                @SuppressWarnings("unchecked")
                RequestHandler<I, O> handler = (RequestHandler<I, O>) chosen.newInstance(fromEnvironment.invoke(null, env));
                return handler;
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new FunctionLoadException(id + " failed to initialise: " + cause, cause);
            } catch (ReflectiveOperationException e) {
                throw new FunctionLoadException(id + ": cannot construct " + chosen.getDeclaringClass().getName() + ": " + e, e);
            }
        };
    }

    private static void requireTypes(String id, Class<?> handlerClass, Class<?> eventType, Class<?> responseType) {
        if (!RequestHandler.class.isAssignableFrom(handlerClass)) {
            throw new FunctionLoadException(id + ": " + handlerClass.getName() + " does not implement RequestHandler");
        }
        for (Type type : handlerClass.getGenericInterfaces()) {
            if (type instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                Type[] arguments = p.getActualTypeArguments();
                if (arguments[0] == eventType && rawClass(arguments[1]) == responseType) {
                    return;
                }
                throw new FunctionLoadException(id + ": " + handlerClass.getName() + " handles " + arguments[0].getTypeName()
                        + " -> " + arguments[1].getTypeName() + ", but its template events need " + eventType.getName()
                        + " -> " + responseType.getName());
            }
        }
        throw new FunctionLoadException(id + ": " + handlerClass.getName() + " must implement RequestHandler<" + eventType.getSimpleName()
                + ", " + responseType.getSimpleName() + "> directly");
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }
}
