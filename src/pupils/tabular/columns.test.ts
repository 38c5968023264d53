import { describe, expect, it } from 'vitest';
import { columnLetter, detectContents, nameColumns, resolveColumns } from './columns.js';

describe('resolveColumns', () => {
  it.each([
    ['UPN', 'upn'],
    ['Unique Pupil Number', 'upn'],
    ['Legal Surname', 'legalSurname'],
    ['surname', 'legalSurname'],
    ['Forename', 'legalForename'],
    ['Preferred Forename', 'preferredForename'],
    ['D.O.B.', 'dateOfBirth'],
    ['Date of Birth', 'dateOfBirth'],
    ['Gender', 'sex'],
    ['NC Year', 'ncYear'],
    ['Year Group', 'ncYear'],
    ['FSM Eligible', 'fsmNow'],
    ['Ever 6 FSM', 'ever6Fsm'],
    ['FSM6', 'ever6Fsm'],
    ['PP', 'pupilPremium'],
    ['SEN Provision', 'senProvision'],
    ['EAL', 'eal'],
    ['First Language', 'firstLanguage'],
    ['CLA', 'inCare'],
    ['Looked After', 'inCare'],
    ['Previously Looked After', 'previouslyLookedAfter'],
    ['Service Child', 'serviceChild'],
    ['Sessions Possible', 'sessionsPossible'],
    ['Attended', 'sessionsAttended'],
    ['AUTHORISED_ABSENCE', 'sessionsAuthorised'],
    ['Unauthorised Absence', 'sessionsUnauthorised'],
    ['Attendance %', 'attendancePercent'],
    ['Term', 'term'],
  ])('maps "%s" to %s', (header, field) => {
    expect(resolveColumns([header], undefined).mapping.fields[header]).toBe(field);
  });

  it('sends plain names to preferred when legal names exist', () => {
    const { mapping } = resolveColumns(
      ['Legal First Name', 'Legal Last Name', 'First Name', 'Last Name', 'UPN'],
      undefined,
    );
    expect(mapping.fields).toEqual({
      'Legal First Name': 'legalForename',
      'Legal Last Name': 'legalSurname',
      'First Name': 'preferredForename',
      'Last Name': 'preferredSurname',
      UPN: 'upn',
    });
    expect(mapping.missing).toEqual([]);
  });

  it('lists missing required fields and unknown headers', () => {
    const { mapping } = resolveColumns(['Pupil ID', 'Surname', 'House'], undefined);
    expect(mapping.fields).toEqual({ 'Pupil ID': null, Surname: 'legalSurname', House: null });
    expect(mapping.missing).toEqual(['upn', 'legalForename']);
  });

  it('applies a user mapping first', () => {
    const resolved = resolveColumns(['Pupil ID', 'Surname', 'Forename', 'Known as'], {
      'Pupil ID': 'upn',
      Forename: 'preferredForename',
      'Known as': 'legalForename',
    });
    expect(resolved.mapping.fields).toEqual({
      'Pupil ID': 'upn',
      Surname: 'legalSurname',
      Forename: 'preferredForename',
      'Known as': 'legalForename',
    });
    expect(resolved.mapping.missing).toEqual([]);
    expect(resolved.mappingErrors).toEqual([]);
  });

  it('lets a user leave a column unused', () => {
    const resolved = resolveColumns(['UPN', 'Surname', 'Forename', 'FSM'], { FSM: null });
    expect(resolved.mapping.fields.FSM).toBeNull();
    expect(resolved.columnOfField.has('fsmNow')).toBe(false);
  });

  it.each([
    [{ Missing: 'upn' }, 'names the header "Missing", which is not in the file'],
    [{ Surname: 'shoeSize' }, 'sends "Surname" to "shoeSize", which is not a field'],
    [{ Surname: 'upn', UPN: 'upn' }, 'sends both "Surname" and "UPN" to UPN'],
  ])('reports a bad user mapping %j', (override, message) => {
    const resolved = resolveColumns(['UPN', 'Surname', 'Forename'], override);
    expect(resolved.mappingErrors).toHaveLength(1);
    expect(resolved.mappingErrors[0]).toContain(message);
  });

  it('lists fields by their names', () => {
    const resolved = resolveColumns(['UPN', 'Surname', 'Forename'], { Surname: 'nickname' });

    expect(resolved.mappingErrors[0]).toContain('Legal surname, Legal forename');
    expect(resolved.mappingErrors[0]).not.toContain('legalSurname');
  });
});

describe('detectContents', () => {
  it.each([
    [['UPN', 'Surname', 'Category', 'Start Date', 'Sessions Lost'], 'exclusions'],
    [['UPN', 'Exclusion Type', 'Exclusion Start Date'], 'exclusions'],
    [['UPN', 'Surname', 'Forename', 'Number of Suspensions'], 'pupils'],
    [['UPN', 'Surname', 'Start Date'], 'pupils'],
  ])('reads %j as %s', (headers, contents) => {
    expect(detectContents(headers, undefined)).toBe(contents);
  });

  it('follows a mapping to an exclusion field', () => {
    expect(detectContents(['UPN', 'Kind', 'When'], { Kind: 'exclusionKind' })).toBe('exclusions');
  });
});

describe('nameColumns', () => {
  it('names empty and repeated headers by column letter', () => {
    expect(nameColumns(['UPN', null, 'Surname', 'Surname'])).toEqual([
      'UPN',
      '(column B)',
      'Surname',
      'Surname (column D)',
    ]);
  });

  it.each([
    [0, 'A'],
    [25, 'Z'],
    [26, 'AA'],
    [701, 'ZZ'],
    [702, 'AAA'],
  ])('columnLetter(%i) is %s', (index, letters) => {
    expect(columnLetter(index)).toBe(letters);
  });
});
