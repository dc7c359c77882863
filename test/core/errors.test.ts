import { expect } from 'chai';
import { AshlarError, ERROR_CODES, ERROR_REGISTRY, hasErrorCode, isAshlarError, renderTemplate } from '../../core/errors/index.js';

describe('error registry', () => {
  it('gives every code an HTTP status, a fault name, a message and a description', () => {
    for (const code of ERROR_CODES) {
      const def = ERROR_REGISTRY[code];
      expect(code, code).to.match(/^[A-Z][A-Z0-9_]*$/);
      expect(def.status, code).to.be.within(400, 599);
      expect(def.fault, code).to.be.a('string').and.not.empty;
      expect(def.message, code).to.be.a('string').and.not.empty;
      expect(def.description, code).to.be.a('string').and.not.empty;
    }
  });

  it('renders message templates from details and keeps unknown placeholders visible', () => {
    expect(renderTemplate('Volume {id} gone {why}', { id: 'v1' })).to.equal('Volume v1 gone {why}');
    const err = new AshlarError('VOLUME_NOT_FOUND', { details: { id: 'abc' } });
    expect(err.message).to.equal('Volume abc could not be found.');
    expect(err.status).to.equal(404);
    expect(err.toJSON()).to.deep.include({ code: 'VOLUME_NOT_FOUND', status: 404 });
  });

  it('recognises errors from another copy of the package by code, not instanceof', () => {
    // A second copy of the class: same registered symbol, different constructor.
    const foreign = Object.assign(new Error('x'), { code: 'VOLUME_BUSY', status: 409, details: {}, [Symbol.for('ashlar.error')]: true });
    expect(foreign instanceof AshlarError).to.equal(false);
    expect(isAshlarError(foreign)).to.equal(true);
    expect(hasErrorCode(foreign, 'VOLUME_BUSY')).to.equal(true);
    expect(hasErrorCode(foreign, 'VOLUME_NOT_FOUND')).to.equal(false);
    expect(isAshlarError(Object.assign(new Error('y'), { code: 'VOLUME_BUSY' }))).to.equal(false);
  });
});
