# GENERATED from templates/report.md.j2 by `scripts/compile_templates.py`; do not edit.
# fmt: off
# ruff: noqa
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'report.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_r = resolve('r')
    l_0__ = resolve('_')
    l_0_d = resolve('d')
    l_0_sources = resolve('sources')
    try:
        t_1 = environment.filters['md']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'md' found.")
    try:
        t_2 = environment.filters['mdcode']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'mdcode' found.")
    try:
        t_3 = environment.filters['mdtable']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'mdtable' found.")
    pass
    yield '## '
    yield str(t_1(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'title')))
    yield '\n\n'
    l_1_loop = missing
    for l_1_f, l_1_loop in LoopContext(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'files'), undefined):
        _loop_vars = {}
        pass
        yield str(t_2(l_1_f))
        if (not environment.getattr(l_1_loop, 'last')):
            pass
            yield ', '
    l_1_loop = l_1_f = missing
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'commit'):
        pass
        yield ' · '
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'commit'))
        yield ' '
        yield str(t_2(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'commit')))
    yield ' · capplan '
    yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'version'))
    yield '\n\n**'
    yield str(('✅' if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'ok') else '❌'))
    yield ' '
    yield str(t_1(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'verdict')))
    yield '**\n\n'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'decision'):
        pass
        l_0_d = environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'decision')
        context.vars['d'] = l_0_d
        context.exported_vars.add('d')
        if environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'answers'):
            pass
            yield str(t_3(environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'answers')))
            yield '\n\n'
        if environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'card'):
            pass
            yield '**'
            yield str(t_1(environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'card_title')))
            yield '**\n\n'
            yield str(t_3(environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'card')))
            yield '\n\n'
        for l_1_n in environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'risks'):
            _loop_vars = {}
            pass
            yield '- **'
            yield str(environment.getitem({'error': context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Error', _loop_vars=_loop_vars), 'warning': context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Warning', _loop_vars=_loop_vars), 'info': context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Note', _loop_vars=_loop_vars)}, environment.getattr(l_1_n, 'level')))
            yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), ':', _loop_vars=_loop_vars))
            yield '**'
            yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
            yield str(t_1(environment.getattr(l_1_n, 'text')))
            yield '\n'
        l_1_n = missing
        if environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'risks'):
            pass
            yield '\n'
        if environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'fleets'):
            pass
            yield str(t_3(environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'fleets')))
            yield '\n\n'
        if environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'prices'):
            pass
            yield '<details><summary>'
            yield str(t_1(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Prices and their sources')))
            yield '</summary>\n\n'
            yield str(t_3(environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'prices')))
            yield '\n\n'
            if environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'sensitivity'):
                pass
                yield str(t_3(environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'sensitivity')))
                yield '\n\n'
            yield '</details>\n\n'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'):
        pass
        yield str(t_3(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary')))
        yield '\n\n'
    for l_1_t in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_tables'):
        _loop_vars = {}
        pass
        yield str(t_3(l_1_t))
        yield '\n\n'
    l_1_t = missing
    for l_1_n in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_notes'):
        _loop_vars = {}
        pass
        yield '> **'
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Not available:', _loop_vars=_loop_vars))
        yield '**'
        yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
        yield str(t_1(environment.getattr(l_1_n, 'text')))
        yield '\n'
    l_1_n = missing
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_notes'):
        pass
        yield '\n'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'answers'):
        pass
        yield str(t_3(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'answers')))
        yield '\n\n'
    for l_1_p in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'plans'):
        _loop_vars = {}
        pass
        yield '### '
        yield str((('✅' if environment.getattr(l_1_p, 'fits') else '⚠️') if environment.getattr(l_1_p, 'ok') else '❌'))
        yield ' '
        yield str(t_1(environment.getattr(l_1_p, 'kind_label')))
        yield ' '
        yield str(t_2(environment.getattr(l_1_p, 'name')))
        yield '\n\n'
        yield str(t_1(environment.getattr(l_1_p, 'verdict')))
        yield '  \n'
        yield str(t_1(environment.getattr(environment.getattr(l_1_p, 'model'), 'display_name')))
        yield ', '
        yield str(t_1(environment.getattr(environment.getattr(l_1_p, 'model'), 'total')))
        yield ' '
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'parameters', _loop_vars=_loop_vars))
        if environment.getattr(environment.getattr(l_1_p, 'model'), 'active'):
            pass
            yield ' ('
            yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'active per token:', _loop_vars=_loop_vars))
            yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
            yield str(t_1(environment.getattr(environment.getattr(l_1_p, 'model'), 'active')))
            yield ')'
        yield ' · '
        yield str(t_1(environment.getattr(l_1_p, 'headline')))
        yield ' · '
        yield str(t_2(environment.getattr(l_1_p, 'file')))
        yield ':'
        yield str(environment.getattr(l_1_p, 'line'))
        yield '\n\n'
        for l_2_n in environment.getattr(l_1_p, 'notes'):
            _loop_vars = {}
            pass
            yield '- **'
            yield str(environment.getitem({'error': context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Error', _loop_vars=_loop_vars), 'warning': context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Warning', _loop_vars=_loop_vars), 'info': context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Note', _loop_vars=_loop_vars)}, environment.getattr(l_2_n, 'level')))
            yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), ':', _loop_vars=_loop_vars))
            yield '**'
            yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
            yield str(t_1(environment.getattr(l_2_n, 'text')))
            yield '\n'
        l_2_n = missing
        if environment.getattr(l_1_p, 'notes'):
            pass
            yield '\n'
        if environment.getattr(environment.getattr(environment.getattr(l_1_p, 'memory_chart'), 'table'), 'caption'):
            pass
            yield str(t_1(environment.getattr(environment.getattr(environment.getattr(l_1_p, 'memory_chart'), 'table'), 'caption')))
            yield '\n\n'
        yield str(t_3(environment.getattr(environment.getattr(l_1_p, 'memory_chart'), 'table')))
        yield '\n\n'
        if environment.getattr(l_1_p, 'time'):
            pass
            yield '**'
            yield str(environment.getattr(environment.getattr(l_1_p, 'time'), 'title'))
            yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), ':', _loop_vars=_loop_vars))
            yield '**'
            yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
            yield str(t_1(environment.getattr(environment.getattr(l_1_p, 'time'), 'line')))
            yield '\n\n'
        yield '<details><summary>'
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Model, hardware, layout, curves and provenance', _loop_vars=_loop_vars))
        yield '</summary>\n\n'
        if environment.getattr(environment.getattr(l_1_p, 'model'), 'components'):
            pass
            yield str(t_3(environment.getattr(environment.getattr(l_1_p, 'model'), 'components')))
            yield '\n\n'
        yield str(t_3(environment.getattr(l_1_p, 'hardware')))
        yield '\n\n'
        yield str(t_3(environment.getattr(l_1_p, 'layout')))
        yield '\n\n'
        yield str(t_3(environment.getattr(l_1_p, 'precision')))
        yield '\n\n'
        if environment.getattr(l_1_p, 'serving'):
            pass
            yield '**'
            yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Serving capacity', _loop_vars=_loop_vars))
            yield '**\n\n'
            yield str(t_3(environment.getattr(l_1_p, 'serving')))
            yield '\n\n'
        for l_2_c in environment.getattr(l_1_p, 'curves'):
            _loop_vars = {}
            pass
            yield '**'
            yield str(t_1(environment.getattr(l_2_c, 'title')))
            yield '** — '
            yield str(t_1(environment.getattr(environment.getattr(l_2_c, 'table'), 'caption')))
            yield '\n\n'
            yield str(t_3(environment.getattr(l_2_c, 'table')))
            yield '\n\n'
        l_2_c = missing
        if environment.getattr(l_1_p, 'curves_note'):
            pass
            yield str(t_1(environment.getattr(l_1_p, 'curves_note')))
            yield '\n\n'
        if (environment.getattr(l_1_p, 'time') and environment.getattr(environment.getattr(l_1_p, 'time'), 'available')):
            pass
            yield '**'
            yield str(environment.getattr(environment.getattr(l_1_p, 'time'), 'title'))
            yield '**\n\n'
            if environment.getattr(environment.getattr(l_1_p, 'time'), 'chart'):
                pass
                yield str(t_3(environment.getattr(environment.getattr(environment.getattr(l_1_p, 'time'), 'chart'), 'table')))
                yield '\n\n'
            yield str(t_3(environment.getattr(environment.getattr(l_1_p, 'time'), 'table')))
            yield '\n\n'
            if environment.getattr(environment.getattr(l_1_p, 'time'), 'bases'):
                pass
                yield '**'
                yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Cost on each basis: on demand, reserved, owned', _loop_vars=_loop_vars))
                yield '**\n\n'
                yield str(t_3(environment.getattr(environment.getattr(l_1_p, 'time'), 'bases')))
                yield '\n\n'
        if environment.getattr(l_1_p, 'requirements'):
            pass
            yield str(t_3(environment.getattr(l_1_p, 'requirements')))
            yield '\n\n'
        yield '**'
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Figures', _loop_vars=_loop_vars))
        yield '** ('
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'formulas and sources: see the provenance below', _loop_vars=_loop_vars))
        yield ')\n\n'
        yield str(t_3(environment.getattr(l_1_p, 'figure_values')))
        yield '\n\n</details>\n\n'
    l_1_p = missing
    for l_1_s in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'searches'):
        l_1_ngettext = resolve('ngettext')
        _loop_vars = {}
        pass
        yield '### '
        yield str(('✅' if environment.getattr(l_1_s, 'best') else '❌'))
        yield ' '
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Strategy search', _loop_vars=_loop_vars))
        yield ' '
        yield str(t_2(environment.getattr(l_1_s, 'name')))
        yield '\n\n'
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'For plan', _loop_vars=_loop_vars))
        yield ' '
        yield str(t_2(environment.getattr(l_1_s, 'target')))
        yield ' · '
        yield str(t_2(environment.getattr(l_1_s, 'file')))
        yield ':'
        yield str(environment.getattr(l_1_s, 'line'))
        yield '  \n'
        yield str(t_1(environment.getattr(l_1_s, 'summary')))
        yield '\n\n**'
        if environment.getattr(l_1_s, 'best'):
            pass
            yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Best layout:', _loop_vars=_loop_vars))
            yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
        yield str(t_1(environment.getattr(l_1_s, 'answer')))
        yield '**\n\n'
        if environment.getattr(l_1_s, 'top'):
            pass
            yield str(t_3(environment.getattr(l_1_s, 'top')))
            yield '\n\n'
        if (environment.getattr(l_1_s, 'pareto') or environment.getattr(l_1_s, 'rejected')):
            pass
            yield '<details><summary>'
            yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Pareto front and rejected layouts', _loop_vars=_loop_vars))
            yield '</summary>\n\n'
            if environment.getattr(l_1_s, 'pareto'):
                pass
                yield '**'
                yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Pareto front: GPUs, step time and cost', _loop_vars=_loop_vars))
                yield '**\n\n'
                yield str(t_3(environment.getattr(l_1_s, 'pareto')))
                yield '\n\n'
            if environment.getattr(l_1_s, 'rejected_top'):
                pass
                yield '**'
                yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Rejected layouts', _loop_vars=_loop_vars))
                yield '**\n\n'
                yield str(t_3(environment.getattr(l_1_s, 'rejected_top')))
                yield '\n\n'
                if environment.getattr(l_1_s, 'rejected_more'):
                    pass
                    yield str(context.call((undefined(name='ngettext') if l_1_ngettext is missing else l_1_ngettext), '… and %(num)s more reason: see the HTML or PDF report.', '… and %(num)s more reasons: see the HTML or PDF report.', environment.getattr(l_1_s, 'rejected_more'), _loop_vars=_loop_vars))
                    yield '\n\n'
            yield '</details>\n\n'
    l_1_s = l_1_ngettext = missing
    for l_1_g in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'goals'):
        _loop_vars = {}
        pass
        yield '### '
        yield str(('✅' if environment.getattr(l_1_g, 'found') else '❌'))
        yield ' '
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Procurement', _loop_vars=_loop_vars))
        yield ' '
        yield str(t_2(environment.getattr(l_1_g, 'name')))
        yield '\n\n'
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'For plan', _loop_vars=_loop_vars))
        yield ' '
        yield str(t_2(environment.getattr(l_1_g, 'target')))
        yield ' · '
        yield str(t_2(environment.getattr(l_1_g, 'file')))
        yield ':'
        yield str(environment.getattr(l_1_g, 'line'))
        yield '  \n'
        yield str(t_1(environment.getattr(l_1_g, 'question')))
        yield '\n\n**'
        if environment.getattr(l_1_g, 'found'):
            pass
            yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'First choice:', _loop_vars=_loop_vars))
            yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
        yield str(t_1(environment.getattr(l_1_g, 'answer')))
        yield '**\n\n'
        yield str(t_3(environment.getattr(l_1_g, 'options')))
        yield '\n\n'
        if environment.getattr(environment.getattr(l_1_g, 'options'), 'caption'):
            pass
            yield str(t_1(environment.getattr(environment.getattr(l_1_g, 'options'), 'caption')))
            yield '\n\n'
    l_1_g = missing
    for l_1_model in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'models'):
        _loop_vars = {}
        pass
        yield '### '
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Model', _loop_vars=_loop_vars))
        yield ' '
        yield str(t_2(environment.getattr(l_1_model, 'name')))
        yield '\n\n'
        yield str(t_1(environment.getattr(l_1_model, 'display_name')))
        yield ': '
        yield str(t_1(environment.getattr(l_1_model, 'total')))
        yield ' '
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'parameters', _loop_vars=_loop_vars))
        yield ' ('
        yield str(t_1(environment.getattr(l_1_model, 'total_exact')))
        yield ')'
        if environment.getattr(l_1_model, 'active'):
            pass
            yield ', '
            yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'active per token:', _loop_vars=_loop_vars))
            yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
            yield str(t_1(environment.getattr(l_1_model, 'active')))
        yield '\n'
        if environment.getattr(l_1_model, 'components'):
            pass
            yield str(t_3(environment.getattr(l_1_model, 'components')))
            yield '\n\n'
    l_1_model = missing
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'notes'):
        pass
        yield '### '
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Diagnostics'))
        yield '\n\n'
        for l_1_n in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'notes'):
            _loop_vars = {}
            pass
            yield '- **'
            yield str(environment.getitem({'error': context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Error', _loop_vars=_loop_vars), 'warning': context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Warning', _loop_vars=_loop_vars), 'info': context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Note', _loop_vars=_loop_vars)}, environment.getattr(l_1_n, 'level')))
            yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), ':', _loop_vars=_loop_vars))
            yield '**'
            yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
            yield str(t_1(environment.getattr(l_1_n, 'text')))
            yield '\n'
        l_1_n = missing
        yield '\n'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'appendix'):
        pass
        yield '<details><summary>'
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Provenance: assumptions, formulas and sources'))
        yield '</summary>\n\n'
        yield str(t_3(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'constants')))
        yield '\n\n'
        if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_constants'):
            pass
            yield str(t_3(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_constants')))
            yield '\n\n'
        if (environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'formulas') and environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'formulas'), 'rows')):
            pass
            yield str(t_3(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'formulas')))
            yield '\n\n'
        yield '</details>\n\n<details><summary>'
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Source specs'))
        yield '</summary>\n\n'
        for (l_1_s, l_1_fence) in (undefined(name='sources') if l_0_sources is missing else l_0_sources):
            _loop_vars = {}
            pass
            yield str(t_2(environment.getattr(l_1_s, 'path')))
            yield '\n\n'
            yield str(l_1_fence)
            yield '\n'
            yield str(environment.getattr(l_1_s, 'text'))
            if (not context.call(environment.getattr(environment.getattr(l_1_s, 'text'), 'endswith'), '\n', _loop_vars=_loop_vars)):
                pass
                yield '\n'
            yield str(l_1_fence)
            yield '\n\n'
        l_1_s = l_1_fence = missing
        yield '</details>\n'
    else:
        pass
        yield '_'
        yield str(t_1(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'The appendix (assumptions, provenance and source specs) is left out; render with --appendix to include it.')))
        yield '_\n'

blocks = {}
debug_info = '2=34&4=37&6=54&8=58&9=60&10=63&11=65&14=67&15=70&17=72&20=74&21=78&23=85&26=88&27=90&30=92&31=95&33=97&35=99&36=101&43=104&44=106&47=108&48=111&51=114&52=118&54=124&57=127&58=129&61=131&62=135&64=141&65=143&67=162&68=166&70=173&73=176&74=178&77=180&79=182&80=185&83=192&85=194&86=196&89=198&91=200&93=202&95=204&96=207&98=209&101=211&102=215&104=219&107=222&108=224&111=226&112=229&114=231&115=233&118=235&120=237&121=240&123=242&127=244&128=246&131=249&133=253&138=256&139=261&141=267&142=275&144=277&146=283&147=285&150=287&151=290&153=292&154=295&156=297&159=299&160=302&162=304&164=306&165=308&173=312&174=316&176=322&177=330&179=332&181=338&183=340&184=342&188=345&189=349&191=353&193=368&194=370&198=373&199=376&201=378&202=382&206=390&207=393&209=395&211=397&212=399&215=401&216=403&221=406&223=408&224=411&226=413&227=415&230=419&235=426'
