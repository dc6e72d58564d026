package com.runwayrelay.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.runwayrelay.domain.metrics.RelayMetric;
import com.runwayrelay.testkit.aws.CloudFormationTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** template.yaml's logging, alarms and dashboard agree with what the functions emit; and the checker notices when not. */
class ObservabilityContractTest {
    private static final Path TEMPLATE = TemplateContractTest.REPO.resolve("template.yaml");

    private static String template() throws IOException {
        return Files.readString(TEMPLATE);
    }

    private static List<String> problemsOf(String yaml) {
        return new ObservabilityContract(CloudFormationTemplate.parse(yaml, "mutated template")).problems();
    }

    private static String replaceOnce(String yaml, String from, String to) {
        assertTrue(yaml.contains(from), "the template no longer contains " + from);
        return yaml.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to));
    }

    @Test
    void everyFunctionLogsJson_andEveryAlarmAndWidgetNamesAMetricTheCodeEmits() {
        assertEquals(List.of(), new ObservabilityContract(CloudFormationTemplate.load(TEMPLATE)).problems());
    }

    @Test
    void reportsTheFunction_whenItsLogFormatIsText() throws IOException {
        String yaml = replaceOnce(template(), "      LoggingConfig:\n        LogGroup: !Ref PollerLogGroup",
                "      LoggingConfig:\n        LogGroup: !Ref PollerLogGroup\n        LogFormat: Text");

        assertTrue(problemsOf(yaml).contains("PollerFunction: LoggingConfig.LogFormat is Text, not JSON"), problemsOf(yaml)::toString);
    }

    @Test
    void reportsTheAlarm_whenItNamesAMetricNoFunctionEmits() throws IOException {
        String yaml = replaceOnce(template(), "      MetricName: StuckTasks", "      MetricName: StuckTask");

        assertTrue(problemsOf(yaml).contains("StuckTasksAlarm: no function emits a metric named StuckTask"),
                problemsOf(yaml)::toString);
    }

    @Test
    void reportsTheAlarm_whenADimensionValueIsOneTheCodeNeverRecords() throws IOException {
        String yaml = replaceOnce(template(), "Value: \"5xx\"", "Value: \"500\"");

        assertTrue(problemsOf(yaml).stream().anyMatch(p -> p.startsWith("RunwayErrorRateAlarm: RunwayCalls is never emitted with Outcome=500")),
                problemsOf(yaml)::toString);
    }

    @Test
    void reportsTheWidget_whenItsDimensionsDifferFromTheEmittedOnes() throws IOException {
        String yaml = replaceOnce(template(), "\"ArchiveBytes\", \"Service\"", "\"ArchiveBytes\", \"Function\"");

        assertTrue(problemsOf(yaml).stream().anyMatch(p -> p.contains("widget 'Archived bytes'")
                && p.contains("ArchiveBytes is emitted with dimensions [Service]")), problemsOf(yaml)::toString);
    }

    @Test
    void reportsTheFunction_whenNoAlarmWatchesItsErrors() throws IOException {
        String yaml = template();
        int alarm = yaml.indexOf("  FunctionErrorsAlarm:");
        String block = yaml.substring(alarm, yaml.indexOf("  FunctionThrottlesAlarm:"));
        yaml = yaml.replace(block, block.replace("!Ref NotifierFunction", "!Ref ArchiverFunction"));

        assertTrue(problemsOf(yaml).contains("NotifierFunction: no alarm on its AWS/Lambda Errors"), problemsOf(yaml)::toString);
    }

    @Test
    void reportsTheWidget_whenASearchUsesAnotherSchemaThanTheEmittedOne() throws IOException {
        String yaml = replaceOnce(template(), "{${MetricsNamespace},Service,AppId} MetricName=\\\"CreditsCharged\\\"",
                "{${MetricsNamespace},AppId} MetricName=\\\"CreditsCharged\\\"");

        assertTrue(problemsOf(yaml).stream().anyMatch(p -> p.contains("SEARCH for CreditsCharged must use the schema")),
                problemsOf(yaml)::toString);
    }

    @Test
    void reportsTheDashboard_whenAMetricIsShownNowhere() throws IOException {
        String yaml = template().replaceAll("(?m)^.*\"ArchiveThroughput\".*$\\n", "");

        assertTrue(problemsOf(yaml).contains("Dashboard: no widget shows ArchiveThroughput"), problemsOf(yaml)::toString);
    }

    /** The Kind values the possible-orphans alarm sums, as the template names them. */
    @SuppressWarnings("unchecked")
    private static Set<String> possibleOrphanKindsAlarmed(CloudFormationTemplate template) {
        Set<String> kinds = new TreeSet<>();
        for (Map<String, Object> query : (List<Map<String, Object>>) template.properties("PossibleOrphansAlarm").get("Metrics")) {
            if (query.get("MetricStat") instanceof Map<?, ?> stat && stat.get("Metric") instanceof Map<?, ?> metric) {
                assertEquals(RelayMetric.POSSIBLE_ORPHANS.metricName(), metric.get("MetricName"));
                for (Map<String, Object> dimension : (List<Map<String, Object>>) metric.get("Dimensions")) {
                    if ("Kind".equals(dimension.get("Name"))) {
                        kinds.add(String.valueOf(dimension.get("Value")));
                    }
                }
            }
        }
        return kinds;
    }

    @Test
    void thePossibleOrphansAlarm_sumsEveryKindTheMetricCanCarry() throws IOException {
        Set<String> allowed = new TreeSet<>(RelayMetric.POSSIBLE_ORPHANS.dimensions().getFirst().values());

        assertEquals(allowed, possibleOrphanKindsAlarmed(CloudFormationTemplate.load(TEMPLATE)));
        Set<String> withoutVoices = possibleOrphanKindsAlarmed(CloudFormationTemplate.parse(
                replaceOnce(template(), "Value: voices", "Value: documents"), "mutated template"));
        assertTrue(!withoutVoices.contains("voices") && !withoutVoices.equals(allowed), withoutVoices::toString);
    }
}
