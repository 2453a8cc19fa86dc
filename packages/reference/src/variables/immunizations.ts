/**
 * Vaccines received. Each variable groups the CDC CVX codes (public CVX code set) of one vaccine type;
 * a record is `true` when a dose was given (the latest record of a bucket counts). The CVX codes of the
 * HL7 v2 immunization examples in the shared corpus (03, 08, 10, 21, 33, 50, 107, 122, 137) are
 * included; CVX 998 ("no vaccine administered") is deliberately not a variable.
 */
import type { CodingSeed, VariableSeed } from "../types";
import { variableBuilder } from "./builders";
import { cvx } from "./codes";

const dose = variableBuilder({
  category: "immunizations",
  valueType: "boolean",
  unit: null,
  isInputFactor: true,
  isOutcome: false,
  combine: "last",
});

function vaccine(slug: string, name: string, codes: CodingSeed[], synonyms: string[]) {
  const description = `A dose of ${name.toLowerCase()} was given (true). The CVX code of the product given identifies the formulation.`;
  return dose({ slug, name, codes, synonyms, description });
}

export const immunizationsVariables: readonly VariableSeed[] = [
  vaccine(
    "influenza-vaccine",
    "Influenza vaccine",
    [
      cvx("88", "influenza virus vaccine, unspecified formulation"),
      cvx("141", "Influenza, seasonal, injectable"),
      cvx("140", "Influenza, seasonal, injectable, preservative free"),
      cvx("150", "Influenza, injectable, quadrivalent, preservative free"),
    ],
    ["Flu shot", "Influenza vaccine", "Flu vaccine", "Fluvax"],
  ),
  vaccine(
    "covid-19-vaccine",
    "COVID-19 vaccine",
    [
      cvx("213", "SARS-COV-2 (COVID-19) vaccine, UNSPECIFIED"),
      cvx("208", "SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3mL dose"),
      cvx("207", "SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 100 mcg/0.5mL dose"),
      cvx(
        "212",
        "SARS-COV-2 (COVID-19) vaccine, vector non-replicating, recombinant spike protein-Ad26, preservative free, 0.5 mL",
      ),
      cvx(
        "211",
        "SARS-COV-2 (COVID-19) vaccine, Subunit, recombinant spike protein-nanoparticle+Matrix-M1 Adjuvant, preservative free, 0.5mL per dose",
      ),
    ],
    ["COVID-19 vaccine", "COVID vaccine", "Coronavirus vaccine", "Pfizer-BioNTech", "Moderna", "Comirnaty", "Spikevax"],
  ),
  vaccine(
    "tdap-vaccine",
    "Tdap vaccine",
    [cvx("115", "Tdap")],
    ["Tdap", "Boostrix", "Adacel", "Tetanus diphtheria pertussis"],
  ),
  vaccine(
    "td-vaccine",
    "Td vaccine",
    [
      cvx("139", "Td(adult) unspecified formulation"),
      cvx("113", "Td (adult) preservative free"),
      cvx("09", "Td (adult), adsorbed"),
    ],
    ["Td", "Tetanus booster", "TENIVAC", "Tetanus diphtheria"],
  ),
  vaccine(
    "dtap-vaccine",
    "DTaP vaccine",
    [cvx("107", "DTaP, unspecified formulation"), cvx("20", "DTaP"), cvx("106", "DTaP, 5 pertussis antigens")],
    ["DTaP", "Diphtheria tetanus acellular pertussis"],
  ),
  vaccine("dtap-hib-vaccine", "DTaP-Hib vaccine", [cvx("50", "DTaP-Hib")], ["DTaP-Hib", "TriHIBit"]),
  vaccine(
    "hepatitis-b-vaccine",
    "Hepatitis B vaccine",
    [
      cvx("45", "Hep B, unspecified formulation"),
      cvx("08", "Hep B, adolescent or pediatric"),
      cvx("43", "Hep B, adult"),
    ],
    ["Hepatitis B vaccine", "HepB", "Hep B", "Engerix-B", "Recombivax HB"],
  ),
  vaccine(
    "hepatitis-a-vaccine",
    "Hepatitis A vaccine",
    [cvx("85", "Hep A, unspecified formulation"), cvx("83", "Hep A, ped/adol, 2 dose"), cvx("52", "Hep A, adult")],
    ["Hepatitis A vaccine", "HepA", "Hep A", "Havrix", "Vaqta"],
  ),
  vaccine("mmr-vaccine", "MMR vaccine", [cvx("03", "MMR")], ["MMR", "Measles mumps rubella", "M-M-R II"]),
  vaccine("mmrv-vaccine", "MMRV vaccine", [cvx("94", "MMRV")], ["MMRV", "ProQuad", "Measles mumps rubella varicella"]),
  vaccine(
    "varicella-vaccine",
    "Varicella vaccine",
    [cvx("21", "varicella")],
    ["Varicella", "Chickenpox vaccine", "Varivax", "VAR"],
  ),
  vaccine(
    "polio-vaccine",
    "Polio vaccine",
    [cvx("89", "Polio, unspecified formulation"), cvx("10", "IPV")],
    ["Polio vaccine", "IPV", "Inactivated polio vaccine", "IPOL"],
  ),
  vaccine(
    "pneumococcal-vaccine",
    "Pneumococcal vaccine",
    [
      cvx("109", "Pneumococcal, unspecified formulation"),
      cvx("33", "pneumococcal polysaccharide PPV23"),
      cvx("133", "Pneumococcal conjugate PCV 13"),
      cvx("152", "Pneumococcal Conjugate, unspecified formulation"),
    ],
    ["Pneumococcal vaccine", "Pneumonia vaccine", "PPSV23", "PPV23", "PCV13", "Prevnar", "Pneumovax"],
  ),
  vaccine(
    "hpv-vaccine",
    "HPV vaccine",
    [
      cvx("137", "HPV, unspecified formulation"),
      cvx("165", "Human Papillomavirus 9-valent vaccine"),
      cvx("62", "HPV, quadrivalent"),
      cvx("118", "HPV, bivalent"),
    ],
    ["HPV vaccine", "Human papillomavirus vaccine", "Gardasil", "Gardasil 9"],
  ),
  vaccine(
    "zoster-vaccine",
    "Zoster (shingles) vaccine",
    [
      cvx("188", "zoster vaccine, unspecified formulation"),
      cvx("187", "zoster vaccine recombinant"),
      cvx("121", "zoster vaccine, live"),
    ],
    ["Shingles vaccine", "Zoster vaccine", "Shingrix", "Zostavax", "RZV"],
  ),
  vaccine(
    "rotavirus-vaccine",
    "Rotavirus vaccine",
    [
      cvx("122", "rotavirus, unspecified formulation"),
      cvx("116", "rotavirus, pentavalent"),
      cvx("119", "rotavirus, monovalent"),
    ],
    ["Rotavirus vaccine", "RotaTeq", "Rotarix", "RV"],
  ),
  vaccine(
    "meningococcal-acwy-vaccine",
    "Meningococcal ACWY vaccine",
    [
      cvx("147", "Meningococcal MCV4, unspecified formulation"),
      cvx("114", "meningococcal MCV4P"),
      cvx("136", "Meningococcal MCV4O"),
    ],
    ["Meningococcal vaccine", "MenACWY", "MCV4", "Menactra", "Menveo"],
  ),
  vaccine(
    "hib-vaccine",
    "Hib vaccine",
    [cvx("17", "Hib, unspecified formulation"), cvx("49", "Hib (PRP-OMP)"), cvx("48", "Hib (PRP-T)")],
    ["Hib", "Haemophilus influenzae type b vaccine", "ActHIB", "PedvaxHIB"],
  ),
];
