import { makeStyles, Typography } from '@material-ui/core';
import { LogoIcon } from './LogoIcon';

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'center', gap: 8, color: '#fff' },
});

/** Icon and name, shown when the sidebar is open. */
export const LogoFull = () => {
  const classes = useStyles();
  return (
    <div className={classes.root}>
      <LogoIcon />
      <Typography variant="h6" component="span">
        Inventory
      </Typography>
    </div>
  );
};
