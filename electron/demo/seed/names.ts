/**
 * Word lists for plausible Belgian companies, people and addresses. Dutch-speaking towns get
 * Dutch names and streets, French-speaking towns French ones; Brussels gets either.
 */
import type { Rng } from './prng';

export type Lang = 'nl' | 'fr' | 'en';

export interface Town {
  zip: string;
  city: string;
  /** Language region: Flanders, Wallonia, or bilingual Brussels. */
  region: 'nl' | 'fr' | 'bi';
}

export const towns: readonly Town[] = [
  { zip: '1000', city: 'Brussel', region: 'bi' },
  { zip: '1030', city: 'Schaerbeek', region: 'bi' },
  { zip: '1050', city: 'Ixelles', region: 'bi' },
  { zip: '1060', city: 'Saint-Gilles', region: 'bi' },
  { zip: '1080', city: 'Molenbeek-Saint-Jean', region: 'bi' },
  { zip: '1150', city: 'Woluwe-Saint-Pierre', region: 'bi' },
  { zip: '1180', city: 'Uccle', region: 'bi' },
  { zip: '1200', city: 'Woluwe-Saint-Lambert', region: 'bi' },
  { zip: '1300', city: 'Wavre', region: 'fr' },
  { zip: '1348', city: 'Louvain-la-Neuve', region: 'fr' },
  { zip: '1400', city: 'Nivelles', region: 'fr' },
  { zip: '1410', city: 'Waterloo', region: 'fr' },
  { zip: '1500', city: 'Halle', region: 'nl' },
  { zip: '1700', city: 'Dilbeek', region: 'nl' },
  { zip: '1800', city: 'Vilvoorde', region: 'nl' },
  { zip: '1930', city: 'Zaventem', region: 'nl' },
  { zip: '2000', city: 'Antwerpen', region: 'nl' },
  { zip: '2018', city: 'Antwerpen', region: 'nl' },
  { zip: '2100', city: 'Deurne', region: 'nl' },
  { zip: '2300', city: 'Turnhout', region: 'nl' },
  { zip: '2400', city: 'Mol', region: 'nl' },
  { zip: '2500', city: 'Lier', region: 'nl' },
  { zip: '2800', city: 'Mechelen', region: 'nl' },
  { zip: '2900', city: 'Schoten', region: 'nl' },
  { zip: '3000', city: 'Leuven', region: 'nl' },
  { zip: '3200', city: 'Aarschot', region: 'nl' },
  { zip: '3300', city: 'Tienen', region: 'nl' },
  { zip: '3500', city: 'Hasselt', region: 'nl' },
  { zip: '3600', city: 'Genk', region: 'nl' },
  { zip: '3700', city: 'Tongeren', region: 'nl' },
  { zip: '3800', city: 'Sint-Truiden', region: 'nl' },
  { zip: '4000', city: 'Liège', region: 'fr' },
  { zip: '4020', city: 'Liège', region: 'fr' },
  { zip: '4500', city: 'Huy', region: 'fr' },
  { zip: '4800', city: 'Verviers', region: 'fr' },
  { zip: '4900', city: 'Spa', region: 'fr' },
  { zip: '5000', city: 'Namur', region: 'fr' },
  { zip: '5100', city: 'Jambes', region: 'fr' },
  { zip: '5500', city: 'Dinant', region: 'fr' },
  { zip: '6000', city: 'Charleroi', region: 'fr' },
  { zip: '6700', city: 'Arlon', region: 'fr' },
  { zip: '6900', city: 'Marche-en-Famenne', region: 'fr' },
  { zip: '7000', city: 'Mons', region: 'fr' },
  { zip: '7500', city: 'Tournai', region: 'fr' },
  { zip: '7700', city: 'Mouscron', region: 'fr' },
  { zip: '8000', city: 'Brugge', region: 'nl' },
  { zip: '8400', city: 'Oostende', region: 'nl' },
  { zip: '8500', city: 'Kortrijk', region: 'nl' },
  { zip: '8800', city: 'Roeselare', region: 'nl' },
  { zip: '8900', city: 'Ieper', region: 'nl' },
  { zip: '9000', city: 'Gent', region: 'nl' },
  { zip: '9100', city: 'Sint-Niklaas', region: 'nl' },
  { zip: '9200', city: 'Dendermonde', region: 'nl' },
  { zip: '9300', city: 'Aalst', region: 'nl' },
  { zip: '9700', city: 'Oudenaarde', region: 'nl' },
  { zip: '9800', city: 'Deinze', region: 'nl' },
];

const streetsNl = [
  'Kerkstraat', 'Stationsstraat', 'Molenstraat', 'Dorpsstraat', 'Nieuwstraat', 'Schoolstraat', 'Kapelstraat',
  'Veldstraat', 'Beekstraat', 'Lindenlaan', 'Kouter', 'Grote Markt', 'Industrieweg', 'Ambachtenlaan',
  'Koning Albertlaan', 'Brugsesteenweg', 'Gentsesteenweg', 'Mechelsesteenweg', 'Hoogstraat', 'Zavelstraat',
  'Bosstraat', 'Kasteelstraat', 'Oude Baan', 'Vaartstraat', 'Nijverheidsstraat',
];
const streetsFr = [
  'Rue de la Station', "Rue de l'Église", 'Rue du Moulin', 'Chaussée de Bruxelles', 'Avenue Louise',
  'Rue Haute', 'Place du Marché', 'Rue des Champs', 'Rue de la Gare', 'Avenue des Tilleuls',
  'Rue du Commerce', "Chaussée d'Alsemberg", 'Rue de Namur', 'Boulevard Tirou', 'Rue Saint-Gilles',
  'Rue des Écoles', 'Avenue de la Libération', 'Rue du Parc', 'Zoning Industriel', 'Rue des Artisans',
];

const firstNamesNl = ['Jan', 'Pieter', 'Koen', 'Bart', 'Tom', 'Wim', 'Els', 'An', 'Sofie', 'Lies', 'Griet', 'Hilde', 'Joris', 'Dirk', 'Leen', 'Annelies', 'Stijn', 'Nele'];
const firstNamesFr = ['Jean', 'Pierre', 'Luc', 'Michel', 'Philippe', 'Nathalie', 'Isabelle', 'Sophie', 'Claire', 'Olivier', 'Véronique', 'Benoît', 'Céline', 'Amélie', 'François', 'Hélène'];
const lastNamesNl = ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet', 'Vermeulen', 'Van den Broeck', 'De Clercq', 'Verhoeven', 'Van Damme', 'Hermans', 'Desmet', 'Pauwels'];
const lastNamesFr = ['Dubois', 'Lambert', 'Dupont', 'Martin', 'Leroy', 'Lejeune', 'Renard', 'Simon', 'Laurent', 'Collard', 'François', 'Leclercq', 'Denis', 'Mathieu', 'Lemaire', 'Dumont', 'Gérard', 'Marchal'];

const tradesNl = [
  'Bakkerij', 'Slagerij', 'Schrijnwerkerij', 'Dakwerken', 'Elektro', 'Loodgieterij', 'Bouwbedrijf', 'Tuinaanleg',
  'Transport', 'Drukkerij', 'Garage', 'Kapsalon', 'Brasserie', 'Apotheek', 'Architectenbureau', 'Schilderwerken',
  'Immo', 'Consult', 'Veeteelt', 'Brouwerij', 'Bloemen', 'Fietsen', 'Interieur', 'Sanitair', 'IT-diensten',
];
const tradesFr = [
  'Boulangerie', 'Boucherie', 'Menuiserie', 'Toitures', 'Électricité', 'Plomberie', 'Construction', 'Jardins',
  'Transports', 'Imprimerie', 'Garage', 'Coiffure', 'Brasserie', 'Pharmacie', "Bureau d'architecture", 'Peinture',
  'Immobilière', 'Conseil', 'Ferme', 'Brasserie artisanale', 'Fleurs', 'Cycles', 'Décoration', 'Chauffage', 'Informatique',
];
const fancyNl = ['Noorderlicht', 'De Zwaluw', 'Het Anker', 'De Linde', 'Kempenland', 'Scheldezicht', 'De Vlijt', 'Horizon', 'Polderwind', 'Den Hoek'];
const fancyFr = ['Les Trois Clochers', 'Le Chêne', 'La Meuse', 'Ardenne Services', 'Le Phare', 'Les Tilleuls', 'Horizon', 'Val Fleuri', 'Le Moulin', 'La Source'];

export const legalFormsNl = ['BV', 'BV', 'BV', 'NV', 'VOF', 'CommV', 'CV'] as const;
export const legalFormsFr = ['SRL', 'SRL', 'SRL', 'SA', 'SNC', 'SComm', 'SC'] as const;

export interface CompanyName {
  name: string;
  legalForm: string;
}

export interface PersonName {
  first: string;
  last: string;
}

export function person(rng: Rng, lang: 'nl' | 'fr'): PersonName {
  return lang === 'nl'
    ? { first: rng.pick(firstNamesNl), last: rng.pick(lastNamesNl) }
    : { first: rng.pick(firstNamesFr), last: rng.pick(lastNamesFr) };
}

/** "Bakkerij Peeters BV", "Menuiserie Dubois SRL", "Het Anker NV", "Janssens & Maes VOF" … */
export function companyName(rng: Rng, lang: 'nl' | 'fr'): CompanyName {
  const legalForm = rng.pick(lang === 'nl' ? legalFormsNl : legalFormsFr);
  const who = person(rng, lang);
  const style = rng.int(0, 9);
  let base: string;
  if (style < 5) base = `${rng.pick(lang === 'nl' ? tradesNl : tradesFr)} ${who.last}`;
  else if (style < 7) base = rng.pick(lang === 'nl' ? fancyNl : fancyFr);
  else if (style < 9) base = `${who.last} & ${person(rng, lang).last}`;
  else base = `${who.first} ${who.last}`;
  return { name: `${base} ${legalForm}`, legalForm };
}

export function street(rng: Rng, lang: 'nl' | 'fr'): string {
  return rng.pick(lang === 'nl' ? streetsNl : streetsFr);
}

/** The language of a company in a town: the region's, either in Brussels, now and then English. */
export function languageFor(rng: Rng, town: Town): Lang {
  if (rng.chance(0.03)) return 'en';
  if (town.region === 'bi') return rng.chance(0.55) ? 'fr' : 'nl';
  return town.region;
}

/** A plausible e-mail for a company: "info@bakkerij-peeters.be". */
export function emailFor(rng: Rng, name: string, lang: Lang): string {
  const local = rng.pick(lang === 'fr' ? ['info', 'contact', 'compta', 'admin'] : ['info', 'boekhouding', 'admin', 'facturatie']);
  return `${local}@${domainOf(name)}`;
}

export function domainOf(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\b(bv|nv|vof|commv|cv|srl|sa|snc|scomm|sc)\b/g, '')
    .replace(/&/g, ' en ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return `${slug || 'bedrijf'}.be`;
}

/** Goods and services an invoice line may carry, by language, with the usual VAT rate. */
export const lineItems: Record<'nl' | 'fr', ReadonlyArray<readonly [string, number, number, number]>> = {
  // [description, VAT %, min unit price in cents, max unit price in cents]
  nl: [
    ['Prestaties volgens offerte', 21, 4500, 9500],
    ['Werkuren', 21, 3800, 7500],
    ['Verplaatsingskosten', 21, 2500, 6000],
    ['Materiaal', 21, 500, 25000],
    ['Onderhoudscontract', 21, 9900, 49900],
    ['Software-abonnement', 21, 1500, 12000],
    ['Renovatiewerken woning > 10 jaar', 6, 5000, 250000],
    ['Brood en gebak', 6, 150, 2500],
    ['Boeken en tijdschriften', 6, 800, 4500],
    ['Catering', 12, 1200, 4500],
    ['Advies', 21, 8500, 15000],
    ['Transport', 21, 9000, 90000],
  ],
  fr: [
    ['Prestations selon devis', 21, 4500, 9500],
    ['Heures de travail', 21, 3800, 7500],
    ['Frais de déplacement', 21, 2500, 6000],
    ['Matériel', 21, 500, 25000],
    ["Contrat d'entretien", 21, 9900, 49900],
    ['Abonnement logiciel', 21, 1500, 12000],
    ['Travaux de rénovation logement > 10 ans', 6, 5000, 250000],
    ['Pain et pâtisseries', 6, 150, 2500],
    ['Livres et revues', 6, 800, 4500],
    ['Restauration', 12, 1200, 4500],
    ['Conseil', 21, 8500, 15000],
    ['Transport', 21, 9000, 90000],
  ],
};

/** Belgian banks: the 3-digit bank code of the BBAN and the BIC. */
export const banks: ReadonlyArray<{ code: string; bic: string; name: string }> = [
  { code: '001', bic: 'GEBABEBB', name: 'BNP Paribas Fortis' },
  { code: '068', bic: 'GKCCBEBB', name: 'Belfius' },
  { code: '363', bic: 'BBRUBEBB', name: 'ING' },
  { code: '734', bic: 'KREDBEBB', name: 'KBC' },
  { code: '143', bic: 'GEBABEBB', name: 'BNP Paribas Fortis' },
  { code: '979', bic: 'ARSPBE22', name: 'Argenta' },
  { code: '751', bic: 'AXABBE22', name: 'Crelan' },
  { code: '523', bic: 'TRIOBEBB', name: 'Triodos' },
];
