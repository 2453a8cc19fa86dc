/**
 * Diagnoses and health conditions, recorded as presence (true/false; the latest record of a bucket
 * counts). Codes: ICD-10-CM (CDC/CMS public code files) and SNOMED CT disorders; where ICD-10-CM has
 * been expanded into subcodes recently and we could not pin the current code, only SNOMED CT is given.
 * The conditions of the FHIR, US Core and HL7 v2 examples in the shared corpus are included (burn of
 * ear, ischemic stroke, restless legs, duodenal ulcer, traveller's diarrhea).
 */
import type { CodingSeed, VariableSeed } from "../types";
import { variableBuilder } from "./builders";
import { icd10cm, snomed } from "./codes";

const presence = variableBuilder({
  category: "conditions",
  valueType: "boolean",
  unit: null,
  isInputFactor: true,
  isOutcome: true,
  combine: "last",
});

function condition(slug: string, name: string, codes: CodingSeed[], synonyms: string[]) {
  const description = `Whether the person has ${name.toLowerCase()} (true = present, false = absent or resolved).`;
  return presence({ slug, name, codes, synonyms, description });
}

export const conditionsVariables: readonly VariableSeed[] = [
  condition(
    "type-2-diabetes",
    "Type 2 diabetes mellitus",
    [
      snomed("44054006", "Diabetes mellitus type 2"),
      icd10cm("E11.9", "Type 2 diabetes mellitus without complications"),
    ],
    ["Type 2 Diabetes", "T2D", "T2DM", "Diabetes type 2", "Adult-onset diabetes"],
  ),
  condition(
    "type-1-diabetes",
    "Type 1 diabetes mellitus",
    [
      snomed("46635009", "Diabetes mellitus type 1"),
      icd10cm("E10.9", "Type 1 diabetes mellitus without complications"),
    ],
    ["Type 1 Diabetes", "T1D", "T1DM", "Juvenile diabetes"],
  ),
  condition(
    "prediabetes",
    "Prediabetes",
    [snomed("714628002", "Prediabetes"), icd10cm("R73.03", "Prediabetes")],
    ["Prediabetes", "Pre-diabetes", "Impaired fasting glucose"],
  ),
  condition(
    "hypertension",
    "Hypertension",
    [snomed("38341003", "Hypertensive disorder"), icd10cm("I10", "Essential (primary) hypertension")],
    ["Hypertension", "High blood pressure", "HTN"],
  ),
  condition(
    "hyperlipidemia",
    "Hyperlipidemia",
    [snomed("55822004", "Hyperlipidemia"), icd10cm("E78.5", "Hyperlipidemia, unspecified")],
    ["Hyperlipidemia", "High cholesterol", "Dyslipidemia"],
  ),
  condition(
    "obesity",
    "Obesity",
    [snomed("414916001", "Obesity"), icd10cm("E66.9", "Obesity, unspecified")],
    ["Obesity", "Obese"],
  ),
  condition(
    "coronary-artery-disease",
    "Coronary artery disease",
    [
      snomed("53741008", "Coronary arteriosclerosis"),
      icd10cm("I25.10", "Atherosclerotic heart disease of native coronary artery without angina pectoris"),
    ],
    ["Coronary Artery Disease", "CAD", "Coronary heart disease", "Ischemic heart disease"],
  ),
  condition(
    "heart-failure",
    "Heart failure",
    [snomed("84114007", "Heart failure"), icd10cm("I50.9", "Heart failure, unspecified")],
    ["Heart Failure", "CHF", "Congestive heart failure"],
  ),
  condition(
    "atrial-fibrillation",
    "Atrial fibrillation",
    [snomed("49436004", "Atrial fibrillation"), icd10cm("I48.91", "Unspecified atrial fibrillation")],
    ["Atrial Fibrillation", "AFib", "AF", "A-fib"],
  ),
  condition(
    "ischemic-stroke",
    "Ischemic stroke",
    [snomed("422504002", "Ischemic stroke"), icd10cm("I63.9", "Cerebral infarction, unspecified")],
    ["Stroke", "Ischemic stroke", "Cerebral infarction", "CVA"],
  ),
  condition(
    "asthma",
    "Asthma",
    [snomed("195967001", "Asthma"), icd10cm("J45.909", "Unspecified asthma, uncomplicated")],
    ["Asthma"],
  ),
  condition(
    "copd",
    "Chronic obstructive pulmonary disease (COPD)",
    [
      snomed("13645005", "Chronic obstructive lung disease"),
      icd10cm("J44.9", "Chronic obstructive pulmonary disease, unspecified"),
    ],
    ["COPD", "Chronic obstructive pulmonary disease", "Emphysema", "Chronic bronchitis"],
  ),
  condition(
    "obstructive-sleep-apnea",
    "Obstructive sleep apnea",
    [
      snomed("78275009", "Obstructive sleep apnea syndrome"),
      icd10cm("G47.33", "Obstructive sleep apnea (adult) (pediatric)"),
    ],
    ["Sleep Apnea", "OSA", "Obstructive Sleep Apnea"],
  ),
  condition(
    "insomnia",
    "Insomnia",
    [snomed("193462001", "Insomnia"), icd10cm("G47.00", "Insomnia, unspecified")],
    ["Insomnia", "Sleeplessness"],
  ),
  condition(
    "allergic-rhinitis",
    "Allergic rhinitis",
    [snomed("61582004", "Allergic rhinitis"), icd10cm("J30.9", "Allergic rhinitis, unspecified")],
    ["Allergic Rhinitis", "Hay fever", "Seasonal allergies"],
  ),
  condition(
    "depression",
    "Depression",
    [snomed("35489007", "Depressive disorder"), icd10cm("F32.A", "Depression, unspecified")],
    ["Depression", "Depressive disorder"],
  ),
  condition(
    "major-depressive-disorder",
    "Major depressive disorder",
    [
      snomed("370143000", "Major depressive disorder"),
      icd10cm("F32.9", "Major depressive disorder, single episode, unspecified"),
      icd10cm("F33.9", "Major depressive disorder, recurrent, unspecified"),
    ],
    ["Major Depressive Disorder", "MDD", "Clinical depression"],
  ),
  condition(
    "generalized-anxiety-disorder",
    "Generalized anxiety disorder",
    [snomed("21897009", "Generalized anxiety disorder"), icd10cm("F41.1", "Generalized anxiety disorder")],
    ["Generalized Anxiety Disorder", "GAD"],
  ),
  condition(
    "anxiety-disorder",
    "Anxiety disorder",
    [snomed("197480006", "Anxiety disorder"), icd10cm("F41.9", "Anxiety disorder, unspecified")],
    ["Anxiety Disorder", "Anxiety (diagnosis)"],
  ),
  condition(
    "bipolar-disorder",
    "Bipolar disorder",
    [snomed("13746004", "Bipolar disorder"), icd10cm("F31.9", "Bipolar disorder, unspecified")],
    ["Bipolar Disorder", "Bipolar", "Manic depression"],
  ),
  condition(
    "ptsd",
    "Post-traumatic stress disorder (PTSD)",
    [
      snomed("47505003", "Posttraumatic stress disorder"),
      icd10cm("F43.10", "Post-traumatic stress disorder, unspecified"),
    ],
    ["PTSD", "Post-traumatic stress disorder"],
  ),
  condition(
    "adhd",
    "Attention deficit hyperactivity disorder (ADHD)",
    [
      snomed("406506008", "Attention deficit hyperactivity disorder"),
      icd10cm("F90.9", "Attention-deficit hyperactivity disorder, unspecified type"),
    ],
    ["ADHD", "ADD", "Attention deficit disorder"],
  ),
  condition(
    "migraine",
    "Migraine",
    [
      snomed("37796009", "Migraine"),
      icd10cm("G43.909", "Migraine, unspecified, not intractable, without status migrainosus"),
    ],
    ["Migraine", "Migraines", "Migraine disorder"],
  ),
  condition(
    "epilepsy",
    "Epilepsy",
    [
      snomed("84757009", "Epilepsy"),
      icd10cm("G40.909", "Epilepsy, unspecified, not intractable, without status epilepticus"),
    ],
    ["Epilepsy", "Seizure disorder"],
  ),
  condition(
    "multiple-sclerosis",
    "Multiple sclerosis",
    [snomed("24700007", "Multiple sclerosis")],
    ["Multiple Sclerosis", "MS"],
  ),
  condition(
    "parkinsons-disease",
    "Parkinson's disease",
    [snomed("49049000", "Parkinson's disease")],
    ["Parkinson's Disease", "Parkinson disease", "PD"],
  ),
  condition(
    "restless-legs-syndrome",
    "Restless legs syndrome",
    [snomed("32914008", "Restless legs"), icd10cm("G25.81", "Restless legs syndrome")],
    ["Restless Legs Syndrome", "RLS", "Willis-Ekbom disease"],
  ),
  condition(
    "chronic-fatigue-syndrome",
    "Myalgic encephalomyelitis / chronic fatigue syndrome",
    [
      snomed("52702003", "Chronic fatigue syndrome"),
      icd10cm("G93.32", "Myalgic encephalomyelitis/chronic fatigue syndrome"),
    ],
    ["ME/CFS", "Chronic Fatigue Syndrome", "CFS", "Myalgic encephalomyelitis"],
  ),
  condition(
    "fibromyalgia",
    "Fibromyalgia",
    [snomed("203082005", "Fibromyalgia")],
    ["Fibromyalgia", "FM", "Fibromyalgia syndrome"],
  ),
  condition(
    "hypothyroidism",
    "Hypothyroidism",
    [snomed("40930008", "Hypothyroidism"), icd10cm("E03.9", "Hypothyroidism, unspecified")],
    ["Hypothyroidism", "Underactive thyroid", "Low thyroid"],
  ),
  condition(
    "hashimotos-thyroiditis",
    "Hashimoto's thyroiditis",
    [snomed("21983002", "Hashimoto thyroiditis"), icd10cm("E06.3", "Autoimmune thyroiditis")],
    ["Hashimoto's", "Hashimoto thyroiditis", "Autoimmune thyroiditis"],
  ),
  condition(
    "hyperthyroidism",
    "Hyperthyroidism",
    [
      snomed("34486009", "Hyperthyroidism"),
      icd10cm("E05.90", "Thyrotoxicosis, unspecified without thyrotoxic crisis or storm"),
    ],
    ["Hyperthyroidism", "Overactive thyroid", "Thyrotoxicosis"],
  ),
  condition(
    "polycystic-ovary-syndrome",
    "Polycystic ovary syndrome (PCOS)",
    [snomed("69878008", "Polycystic ovaries"), icd10cm("E28.2", "Polycystic ovarian syndrome")],
    ["PCOS", "Polycystic Ovary Syndrome"],
  ),
  condition("endometriosis", "Endometriosis", [snomed("129103003", "Endometriosis")], ["Endometriosis"]),
  condition(
    "gerd",
    "Gastro-esophageal reflux disease (GERD)",
    [
      snomed("235595009", "Gastroesophageal reflux disease"),
      icd10cm("K21.9", "Gastro-esophageal reflux disease without esophagitis"),
    ],
    ["GERD", "Acid reflux disease", "Reflux"],
  ),
  condition(
    "irritable-bowel-syndrome",
    "Irritable bowel syndrome (IBS)",
    [snomed("10743008", "Irritable bowel syndrome"), icd10cm("K58.9", "Irritable bowel syndrome without diarrhea")],
    ["IBS", "Irritable Bowel Syndrome"],
  ),
  condition(
    "crohns-disease",
    "Crohn's disease",
    [snomed("34000006", "Crohn's disease"), icd10cm("K50.90", "Crohn's disease, unspecified, without complications")],
    ["Crohn's Disease", "Crohn disease", "Crohns"],
  ),
  condition(
    "ulcerative-colitis",
    "Ulcerative colitis",
    [
      snomed("64766004", "Ulcerative colitis"),
      icd10cm("K51.90", "Ulcerative colitis, unspecified, without complications"),
    ],
    ["Ulcerative Colitis", "UC"],
  ),
  condition(
    "celiac-disease",
    "Celiac disease",
    [snomed("396331005", "Celiac disease"), icd10cm("K90.0", "Celiac disease")],
    ["Celiac Disease", "Coeliac disease", "Gluten enteropathy"],
  ),
  condition(
    "duodenal-ulcer",
    "Duodenal ulcer",
    [
      snomed("51868009", "Ulcer of duodenum"),
      icd10cm("K26.9", "Duodenal ulcer, unspecified as acute or chronic, without hemorrhage or perforation"),
    ],
    ["Duodenal Ulcer", "Peptic ulcer (duodenal)"],
  ),
  condition(
    "travelers-diarrhea",
    "Traveler's diarrhea",
    [snomed("11840006", "Traveler's diarrhea")],
    ["Traveler's Diarrhea", "Travellers' diarrhoea"],
  ),
  condition(
    "rheumatoid-arthritis",
    "Rheumatoid arthritis",
    [snomed("69896004", "Rheumatoid arthritis"), icd10cm("M06.9", "Rheumatoid arthritis, unspecified")],
    ["Rheumatoid Arthritis", "RA"],
  ),
  condition(
    "osteoarthritis",
    "Osteoarthritis",
    [snomed("396275006", "Osteoarthritis"), icd10cm("M19.90", "Unspecified osteoarthritis, unspecified site")],
    ["Osteoarthritis", "OA", "Degenerative joint disease"],
  ),
  condition("gout", "Gout", [snomed("90560007", "Gout"), icd10cm("M10.9", "Gout, unspecified")], ["Gout"]),
  condition(
    "osteoporosis",
    "Osteoporosis",
    [
      snomed("64859006", "Osteoporosis"),
      icd10cm("M81.0", "Age-related osteoporosis without current pathological fracture"),
    ],
    ["Osteoporosis"],
  ),
  condition(
    "systemic-lupus-erythematosus",
    "Systemic lupus erythematosus",
    [snomed("55464009", "Systemic lupus erythematosus"), icd10cm("M32.9", "Systemic lupus erythematosus, unspecified")],
    ["Lupus", "SLE", "Systemic Lupus Erythematosus"],
  ),
  condition(
    "psoriasis",
    "Psoriasis",
    [snomed("9014002", "Psoriasis"), icd10cm("L40.9", "Psoriasis, unspecified")],
    ["Psoriasis"],
  ),
  condition(
    "atopic-dermatitis",
    "Atopic dermatitis (eczema)",
    [snomed("24079001", "Atopic dermatitis"), icd10cm("L20.9", "Atopic dermatitis, unspecified")],
    ["Eczema", "Atopic Dermatitis"],
  ),
  condition(
    "chronic-kidney-disease",
    "Chronic kidney disease",
    [snomed("709044004", "Chronic kidney disease"), icd10cm("N18.9", "Chronic kidney disease, unspecified")],
    ["Chronic Kidney Disease", "CKD"],
  ),
  condition(
    "anemia",
    "Anemia",
    [snomed("271737000", "Anemia"), icd10cm("D64.9", "Anemia, unspecified")],
    ["Anemia", "Anaemia"],
  ),
  condition(
    "iron-deficiency-anemia",
    "Iron deficiency anemia",
    [snomed("87522002", "Iron deficiency anemia"), icd10cm("D50.9", "Iron deficiency anemia, unspecified")],
    ["Iron Deficiency Anemia", "IDA"],
  ),
  condition(
    "vitamin-d-deficiency",
    "Vitamin D deficiency",
    [snomed("34713006", "Vitamin D deficiency"), icd10cm("E55.9", "Vitamin D deficiency, unspecified")],
    ["Vitamin D Deficiency", "Low vitamin D"],
  ),
  condition(
    "covid-19",
    "COVID-19",
    [
      snomed("840539006", "Disease caused by severe acute respiratory syndrome coronavirus 2"),
      icd10cm("U07.1", "COVID-19"),
    ],
    ["COVID-19", "COVID", "SARS-CoV-2 infection", "Coronavirus"],
  ),
  condition(
    "post-covid-condition",
    "Post COVID-19 condition (long COVID)",
    [icd10cm("U09.9", "Post COVID-19 condition, unspecified")],
    ["Long COVID", "Post-COVID condition", "PASC", "Long-haul COVID"],
  ),
  condition(
    "burn-of-ear",
    "Burn of ear",
    [snomed("39065001", "Burn of ear"), icd10cm("T20.21", "Burn of second degree of ear [any part, except ear drum]")],
    ["Burn of ear", "Ear burn"],
  ),
];
