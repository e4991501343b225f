package ai.backend.local.graphql;

import ai.backend.client.internal.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The custom scalars of the 19.03 schema (protocol §7): {@code DateTime}, {@code JSONString},
 * {@code BigInt} and {@code UUID}, serialized as graphene 2.1 does.
 */
final class Scalars {
    private static final long MIN_INT = Integer.MIN_VALUE;
    private static final long MAX_INT = Integer.MAX_VALUE;

    private Scalars() {
    }

    static List<GraphQLScalarType> all() {
        return List.of(DATE_TIME, JSON_STRING, BIG_INT, UUID_SCALAR);
    }

    /** {@code DateTime}: Python's {@code isoformat()}. Accepts OffsetDateTime, Instant or an ISO string. */
    static final GraphQLScalarType DATE_TIME = GraphQLScalarType.newScalar().name("DateTime")
            .coercing(new Coercing<OffsetDateTime, String>() {
                @Override
                public String serialize(Object value, GraphQLContext context, Locale locale) {
                    if (value instanceof OffsetDateTime t) {
                        return isoformat(t);
                    }
                    if (value instanceof Instant i) {
                        return isoformat(i.atOffset(ZoneOffset.UTC));
                    }
                    if (value instanceof String s) {
                        try {
                            return isoformat(parseDateTime(s));
                        } catch (DateTimeParseException e) {
                            throw new CoercingSerializeException("Not a date and time: " + s, e);
                        }
                    }
                    throw new CoercingSerializeException("Not a date and time: " + value);
                }

                @Override
                public OffsetDateTime parseValue(Object input, GraphQLContext context, Locale locale) {
                    if (input instanceof String s) {
                        try {
                            return parseDateTime(s);
                        } catch (DateTimeParseException e) {
                            throw new CoercingParseValueException("Not an ISO-8601 date and time: " + s, e);
                        }
                    }
                    throw new CoercingParseValueException("Not an ISO-8601 date and time: " + input);
                }

                @Override
                public OffsetDateTime parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                                                   Locale locale) {
                    if (input instanceof StringValue s) {
                        try {
                            return parseDateTime(s.getValue());
                        } catch (DateTimeParseException e) {
                            throw new CoercingParseLiteralException("Not an ISO-8601 date and time: " + s.getValue(), e);
                        }
                    }
                    throw new CoercingParseLiteralException("Expected a string");
                }

                @Override
                public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
                    return StringValue.of(serialize(input, context, locale));
                }
            }).build();

    /** {@code JSONString}: the value is written as JSON text inside a string; inputs are parsed JSON text. */
    static final GraphQLScalarType JSON_STRING = GraphQLScalarType.newScalar().name("JSONString")
            .coercing(new Coercing<Object, String>() {
                @Override
                public String serialize(Object value, GraphQLContext context, Locale locale) {
                    return Json.pythonDumps(value);
                }

                @Override
                public Object parseValue(Object input, GraphQLContext context, Locale locale) {
                    if (input instanceof String s) {
                        return parseJson(s, CoercingParseValueException::new);
                    }
                    throw new CoercingParseValueException("A JSONString must be a string holding JSON text");
                }

                @Override
                public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                                           Locale locale) {
                    if (input instanceof StringValue s) {
                        return parseJson(s.getValue(), CoercingParseLiteralException::new);
                    }
                    throw new CoercingParseLiteralException("A JSONString must be a string holding JSON text");
                }

                @Override
                public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
                    return StringValue.of(serialize(input, context, locale));
                }
            }).build();

    /** {@code BigInt}: an integer, written as a float when outside the signed 32-bit range (graphene's big_to_float). */
    static final GraphQLScalarType BIG_INT = GraphQLScalarType.newScalar().name("BigInt")
            .coercing(new Coercing<Long, Object>() {
                @Override
                public Object serialize(Object value, GraphQLContext context, Locale locale) {
                    long n;
                    if (value instanceof Number num) {
                        n = num.longValue();
                    } else if (value instanceof String s) {
                        try {
                            n = new BigDecimal(s.trim()).longValue();
                        } catch (NumberFormatException e) {
                            throw new CoercingSerializeException("Not an integer: " + s, e);
                        }
                    } else {
                        throw new CoercingSerializeException("Not an integer: " + value);
                    }
                    return bigToFloat(n);
                }

                @Override
                public Long parseValue(Object input, GraphQLContext context, Locale locale) {
                    try {
                        if (input instanceof Number num) {
                            return new BigDecimal(num.toString()).toBigInteger().longValueExact();
                        }
                        if (input instanceof String s) {
                            return new BigDecimal(s.trim()).toBigInteger().longValueExact();
                        }
                    } catch (ArithmeticException | NumberFormatException e) {
                        throw new CoercingParseValueException("Not an integer: " + input, e);
                    }
                    throw new CoercingParseValueException("Not an integer: " + input);
                }

                @Override
                public Long parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                                         Locale locale) {
                    if (input instanceof IntValue i) {
                        BigInteger v = i.getValue();
                        if (v.bitLength() < 64) {
                            return v.longValue();
                        }
                    }
                    throw new CoercingParseLiteralException("Expected an integer");
                }

                @Override
                public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
                    return IntValue.of(((Number) input).intValue());
                }
            }).build();

    /** {@code UUID}: a dashed UUID string. */
    static final GraphQLScalarType UUID_SCALAR = GraphQLScalarType.newScalar().name("UUID")
            .coercing(new Coercing<UUID, String>() {
                @Override
                public String serialize(Object value, GraphQLContext context, Locale locale) {
                    try {
                        return value instanceof UUID u ? u.toString() : UUID.fromString(String.valueOf(value)).toString();
                    } catch (IllegalArgumentException e) {
                        throw new CoercingSerializeException("Not a UUID: " + value, e);
                    }
                }

                @Override
                public UUID parseValue(Object input, GraphQLContext context, Locale locale) {
                    try {
                        if (input instanceof String s) {
                            return UUID.fromString(s);
                        }
                    } catch (IllegalArgumentException e) {
                        throw new CoercingParseValueException("Not a UUID: " + input, e);
                    }
                    throw new CoercingParseValueException("Not a UUID: " + input);
                }

                @Override
                public UUID parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                                         Locale locale) {
                    try {
                        if (input instanceof StringValue s) {
                            return UUID.fromString(s.getValue());
                        }
                    } catch (IllegalArgumentException e) {
                        throw new CoercingParseLiteralException("Not a UUID: " + input, e);
                    }
                    throw new CoercingParseLiteralException("Expected a string");
                }

                @Override
                public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
                    return StringValue.of(serialize(input, context, locale));
                }
            }).build();

    /** graphene's BigInt: an int inside the signed 32-bit range, else a float ({@code 1073741824.0}). */
    static Object bigToFloat(long n) {
        if (n >= MIN_INT && n <= MAX_INT) {
            return (int) n;
        }
        return BigDecimal.valueOf(n).setScale(1);
    }

    /** Python's {@code datetime.isoformat()}: microseconds only when non-zero, offset as {@code +00:00}. */
    static String isoformat(OffsetDateTime t) {
        StringBuilder b = new StringBuilder(32);
        b.append(String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond()));
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            b.append(String.format(Locale.ROOT, ".%06d", micros));
        }
        int offset = t.getOffset().getTotalSeconds();
        b.append(offset < 0 ? '-' : '+');
        offset = Math.abs(offset);
        b.append(String.format(Locale.ROOT, "%02d:%02d", offset / 3600, offset / 60 % 60));
        if (offset % 60 != 0) {
            b.append(String.format(Locale.ROOT, ":%02d", offset % 60));
        }
        return b.toString();
    }

    /** Parses an ISO-8601 date and time; one without an offset is taken as UTC. */
    static OffsetDateTime parseDateTime(String s) {
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(s).atOffset(ZoneOffset.UTC);
        }
    }

    private static Object parseJson(String text, java.util.function.BiFunction<String, Throwable, RuntimeException> error) {
        try {
            return Json.MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw error.apply("Not JSON text: " + e.getOriginalMessage(), e);
        }
    }
}
